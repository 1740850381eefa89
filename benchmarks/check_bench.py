"""How long `invoke check` takes on a large content tree (issue 7).

Writes N synthetic local articles (default 5,000) for 50 sources into a temporary folder,
then times ``contentcheck.check_repository`` (every rule, images included) and prints figures.

    python benchmarks/check_bench.py [N]
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from PIL import Image  # noqa: E402
from warta.contrib import check as contentcheck  # noqa: E402

ARTICLE = """\
Title: Kegiatan Pelayanan Publik Nomor {n}
Date: 2025-{month:02d}-{day:02d} 09:{minute:02d}+07:00
Source: {source}
Category: pemerintahan
Tags: pelayanan, desa, contoh
Summary: Ringkasan kegiatan pelayanan publik nomor {n} di kabupaten contoh.
Image: /images/33/{source}/foto.jpg
Penulis: Tim Humas

Isi berita nomor {n}. Pemerintah kabupaten menggelar pelayanan terpadu di balai desa.

Warga dapat mengurus dokumen kependudukan, [informasi lengkap](https://contoh.go.id/layanan).
"""


def main(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        sources = [f"pemkab-contoh-{i:02d}" for i in range(50)]
        for i, sid in enumerate(sources):
            reg = root / "sources" / "33"
            reg.mkdir(parents=True, exist_ok=True)
            (reg / f"{sid}.yml").write_text(
                f"id: {sid}\nname: Pemerintah Kabupaten Contoh {i}\nkind: pemkab\n"
                f"region: \"33.{i % 29 + 1:02d}\"\nhomepage: https://contoh{i}.go.id\n"
                f"feeds:\n  - https://contoh{i}.go.id/feed/\n", encoding="utf-8")
            img = root / "content" / "images" / "33" / sid
            img.mkdir(parents=True)
            Image.new("RGB", (800, 450), (20, 90, 140)).save(img / "foto.jpg", quality=70)
        for k in range(n):
            sid = sources[k % len(sources)]
            folder = root / "content" / "33" / sid / "2025"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"berita-{k:05d}.md").write_text(ARTICLE.format(
                n=k, source=sid, month=k % 12 + 1, day=k % 28 + 1, minute=k % 60), encoding="utf-8")
        start = time.perf_counter()
        report = contentcheck.check_repository(sources_dir=root / "sources",
                                               content_dir=root / "content", takedowns_file=None)
        elapsed = time.perf_counter() - start
        assert report.error_count == 0, [p.describe() for p in report.errors[:5]]
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"articles checked: {report.article_count}, sources: {len(report.sources)}")
        print(f"invoke check: {elapsed:.2f} s total, {elapsed / n * 1000:.2f} ms per article")
        print(f"peak RSS: {rss:.0f} MiB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
