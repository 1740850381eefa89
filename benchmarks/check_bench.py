"""How long `invoke check` takes on a large content tree, or on the full-size registry.

Writes N synthetic local articles (default 5,000) for 50 sources into a temporary folder,
then times ``contentcheck.check_repository`` (every rule, images included) and prints figures.

``--registry`` instead writes the registry the hub is meant to hold: one ``discover: true``
entry (with ``ref``) for every province and regency/city (552 pemda) and N national bodies
(default 100), plus two files that repeat a homepage and a region's pemda, and times the
check (which must report exactly those two, naming both files).

    python benchmarks/check_bench.py [N]
    python benchmarks/check_bench.py --registry [N]
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


def registry_main(national: int) -> None:
    from warta.sources import regions

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        content = root / "content"
        content.mkdir()

        def write(folder: str, sid: str, body: str) -> None:
            path = root / "sources" / folder / f"{sid}.yml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"# Dari daftar uji.\nid: {sid}\n{body}discover: true\n"
                            f"ref: https://id.wikipedia.org/wiki/{sid}\n", encoding="utf-8")

        for code, region in regions.all_regions().items():
            kind = "pemprov" if region.level == 1 else (
                "pemkot" if region.name.startswith("Kota") else "pemkab")
            sid = f"{kind}-{code.replace('.', '-')}"
            write(code.split(".")[0], sid, f"name: Pemerintah {region.name}\nkind: {kind}\n"
                  f"region: \"{code}\"\nhomepage: https://{sid}.go.id\n")
        for i in range(national):
            write("nasional", f"lembaga-{i:03d}",
                  f"name: Lembaga Contoh {i}\nkind: lembaga\nhomepage: https://lembaga{i}.go.id\n")
        write("nasional", "lembaga-kembar", "name: Lembaga Kembar\nkind: lembaga\n"
              "homepage: http://www.lembaga7.go.id/\n")
        write("33", "pemkot-kembar", "name: Pemerintah Kabupaten Cilacap\nkind: pemkab\n"
              "region: \"33.01\"\nhomepage: https://portal.cilacapkab.go.id\n")
        start = time.perf_counter()
        report = contentcheck.check_repository(sources_dir=root / "sources", content_dir=content,
                                               takedowns_file=None)
        elapsed = time.perf_counter() - start
        codes = sorted(p.code for p in report.errors)
        assert not report.registry_errors, report.registry_errors[:3]
        assert codes == ["source-duplicate-homepage", "source-duplicate-pemda"], codes
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"registry entries checked: {len(report.sources)} (discover: true, with ref); "
              f"problems: {', '.join(codes)}")
        print(f"invoke check: {elapsed:.2f} s total, "
              f"{elapsed / len(report.sources) * 1000:.2f} ms per entry; peak RSS {rss:.0f} MiB")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--registry"]
    if "--registry" in sys.argv[1:]:
        registry_main(int(args[0]) if args else 100)
    else:
        main(int(args[0]) if args else 5000)
