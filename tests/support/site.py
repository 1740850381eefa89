"""A built hub for the theme tests: the demo registry plus a small registry of our own.

Built once per test session (``built_site`` fixture in the theme tests). The
demo is materialised for *now*, as ``invoke demo`` does; its content may change
under us, so every assertion about specific cases uses the ``uji-*`` sources
below, whose items are written relative to *now* too (so the Google News
sitemap has something from the last 48 hours).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

import yaml
from warta.archive.store import Archive
from warta.core.records import Item, RawEntry
from warta.ops import cli

from tests.support.demo import materialise

ROOT = Path(__file__).resolve().parents[2]

HOSTILE_TITLE = 'Sosialisasi </script><script>alert("x")</script> & Tertib Lalu Lintas'
HOAX_TITLE = "Hoaks: Beredar Pesan Pendaftaran Bantuan Lewat Tautan Palsu"


@dataclass(frozen=True)
class BuiltSite:
    root: Path
    output: Path
    sources: Path
    db: Path
    now: datetime
    story: str
    """Story id shared by three reports from three institutions."""
    ids: dict[str, str]
    """Fixture name → item id."""


FIXTURE_SOURCES: list[dict[str, object]] = [
    {"id": "uji-pemkab-cilacap", "name": "Pemerintah Kabupaten Cilacap (Uji)",
     "short_name": "Pemkab Cilacap", "kind": "pemkab", "region": "33.01",
     "homepage": "https://cilacapkab.go.id", "logo": "https://cilacapkab.go.id/logo.png"},
    {"id": "uji-bpn-cilacap", "name": "Kantor Pertanahan Kabupaten Cilacap (Uji)",
     "short_name": "Kantah Cilacap", "kind": "instansi-vertikal", "region": "33.01",
     "homepage": "https://atrbpn.go.id"},
    {"id": "uji-bumd-jateng", "name": "Bank Daerah Jawa Tengah (Uji)", "short_name": "Bank Jateng",
     "kind": "bumd", "region": "33", "homepage": "https://bankjateng.co.id"},
    {"id": "uji-kemenkes", "name": "Kementerian Kesehatan (Uji)", "short_name": "Kemenkes",
     "kind": "kementerian", "homepage": "https://kemkes.go.id", "mode": "summary"},
    {"id": "uji-pemkot-makassar", "name": "Pemerintah Kota Makassar (Uji)",
     "short_name": "Pemkot Makassar", "kind": "pemkot", "region": "73.71",
     "homepage": "https://makassarkota.go.id"},
]

STORIES = {
    "uji-pemkab-cilacap": [
        ("banjir", "Pemkab Cilacap Salurkan Bantuan Korban Banjir di Kroya", 2),
        ("jalan", "Perbaikan Jalan Kabupaten Ruas Jeruklegi Dimulai", 20),
        ("sekolah", "Bupati Resmikan Gedung Sekolah Dasar di Sidareja", 30),
    ],
    "uji-bpn-cilacap": [
        ("banjir", "Kantah Cilacap Bantu Data Lahan Terdampak Banjir Kroya", 3),
        ("sertifikat", "Seribu Sertifikat Tanah Dibagikan kepada Warga Cilacap", 26),
    ],
    "uji-bumd-jateng": [
        ("banjir", "Bank Jateng Salurkan CSR untuk Korban Banjir Cilacap", 4),
        ("kur", "Penyaluran KUR Bank Jateng Tumbuh di Triwulan Ketiga", 40),
    ],
    "uji-kemenkes": [
        ("imunisasi", "Kemenkes Perluas Imunisasi Rutin Lengkap di Puskesmas", 5),
    ],
    "uji-pemkot-makassar": [
        ("pasar", "Pemkot Makassar Tata Ulang Pasar Terong", 8),
    ],
}
BODY = ("<p>CILACAP – Pemerintah bersama warga bergotong royong menangani dampak kejadian ini. "
        "Kepala dinas menyampaikan bahwa pendataan dilakukan hari ini.</p>"
        "<p>Bantuan berupa beras, selimut, dan obat-obatan disalurkan melalui posko kecamatan.</p>"
        '<p><img src="https://cilacapkab.go.id/foto/kegiatan.jpg" alt="Petugas menyalurkan bantuan"></p>')


def _rss(items: list[tuple[str, str, datetime]], base: str) -> str:
    out = ['<?xml version="1.0" encoding="utf-8"?>', '<rss version="2.0"><channel>',
           "<title>Uji</title>", f"<link>{base}</link>"]
    for slug, title, date in items:
        out.append(f"<item><title>{escape(title)}</title><link>{base}/berita/{slug}/</link>"
                   f"<guid>{base}/?p={slug}</guid><pubDate>{format_datetime(date)}</pubDate>"
                   f"<category>Bencana</category>"
                   f"<description><![CDATA[{BODY}]]></description></item>")
    out.append("</channel></rss>")
    return "\n".join(out)


UNVERIFIED = "uji-dprd-cilacap"
"""A ``discover: true`` source whose homepage cannot be read."""


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _item(source_id: str, key: str, title: str, published: datetime, **extra: object) -> Item:
    from warta.clean.normalize import item_id

    return Item(id=item_id(source_id, key), source_id=source_id, key=key,
                link=f"https://cilacapkab.go.id/berita/{key}/", title=title,
                content_html="<p>Isi berita uji yang cukup panjang untuk dibaca.</p>",
                summary="Isi berita uji yang cukup panjang untuk dibaca.", published=published,
                **extra)  # type: ignore[arg-type]


def build_site(root: Path) -> BuiltSite:
    now = datetime.now(UTC)
    work = root / "hub"
    sources = materialise(work, now)
    feeds = work / "feeds"
    (sources / "uji").mkdir(parents=True)
    for spec in FIXTURE_SOURCES:
        sid = str(spec["id"])
        base = str(spec["homepage"])
        items = [(slug, title, now - timedelta(hours=h)) for slug, title, h in STORIES[sid]]
        (feeds / f"{sid}.xml").write_text(_rss(items, base), encoding="utf-8")
        data = {**spec, "feeds": [f"file:../feeds/{sid}.xml"]}
        (sources / "uji" / f"{sid}.yml").write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    # Registered from a public list with its homepage only: the fetch run searches it and
    # finds nothing (a closed port on 127.0.0.1), so region pages show it unverified.
    (sources / "uji" / f"{UNVERIFIED}.yml").write_text(yaml.safe_dump({
        "id": UNVERIFIED, "name": "Sekretariat DPRD Kabupaten Cilacap (Uji)", "kind": "dprd",
        "region": "33.01", "homepage": f"http://127.0.0.1:{_closed_port()}/", "discover": True,
        "ref": "daftar uji"}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    content = work / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "lokal-uji.md").write_text(
        "Title: Rapat Koordinasi Penanganan Stunting Tingkat Kabupaten\n"
        "Date: " + (now - timedelta(hours=30)).strftime("%Y-%m-%d %H:%M") + "\n"
        "Category: Kesehatan\nTags: stunting, kesehatan\nSource: uji-pemkab-cilacap\n\n"
        "Pemerintah Kabupaten Cilacap menggelar rapat koordinasi penanganan stunting.\n",
        encoding="utf-8")
    db = root / "warta.sqlite"
    cli.fetch(sources, db, quiet=True, run_log=None)

    ids: dict[str, str] = {}
    with Archive(db) as archive:
        by_title = {e.item.title: e.item.id for e in archive.items()}
        for sid, rows in STORIES.items():
            for slug, title, _ in rows:
                ids[f"{sid}/{slug}"] = by_title[title]
        raw = RawEntry(guid=None, link=None, title="", content_html="", summary_html="")
        extra = [
            _item("uji-pemkab-cilacap", "hoaks-bantuan", HOAX_TITLE, now - timedelta(hours=6),
                  category="klarifikasi-hoaks", place="CILACAP",
                  credits={"penulis": "Rina Astuti", "editor": "Bagus Wicaksono",
                           "foto": "Humas Cilacap"}),
            _item("uji-pemkab-cilacap", "hostile", HOSTILE_TITLE, now - timedelta(hours=10)),
            _item("uji-bpn-cilacap", "tanpa-tanggal", "Layanan Loket Pertanahan Buka Sabtu",
                  now - timedelta(hours=12), date_estimated=True),
        ]
        archive.store_items([(i, raw) for i in extra], now=now - timedelta(hours=1))
        # Re-store one with a changed body: the archive marks it modified ("Diperbarui").
        changed = _item("uji-bpn-cilacap", "tanpa-tanggal", "Layanan Loket Pertanahan Buka Sabtu",
                        now - timedelta(hours=12), date_estimated=True)
        changed = Item(**{**{f: getattr(changed, f) for f in Item.__slots__},
                          "content_html": "<p>Isi yang sudah diperbarui oleh humas.</p>"})
        archive.store_items([(changed, raw)], now=now)
        ids["hoaks"] = extra[0].id
        ids["hostile"] = extra[1].id
        ids["estimated"] = extra[2].id
        # Every fixture item carries the same BODY, so the fetch run's story grouping
        # rightly puts them all in one story; this fixture sets stories itself.
        for item_id in ids.values():
            archive.set_story(item_id, item_id)
        story = ids["uji-pemkab-cilacap/banjir"]
        for key in ("uji-bpn-cilacap/banjir", "uji-bumd-jateng/banjir"):
            archive.set_story(ids[key], story)

    output = root / "output"
    cli.build(sources_dir=sources, db=db, output=output,
              overrides={"PATH": str(content), "WARTA_BUILD_TIME": now.isoformat()})
    return BuiltSite(root=work, output=output, sources=sources, db=db, now=now, story=story,
                     ids=ids)


class PageParser:
    """Collects what the theme tests look at in one HTML page (stdlib parser, no deps)."""

    def __init__(self, text: str):
        from html.parser import HTMLParser

        self.links: list[tuple[str, str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.lang: str | None = None
        self.ids: set[str] = set()
        parser = self

        class _P(HTMLParser):
            def __init__(self) -> None:
                super().__init__(convert_charrefs=True)
                self._script: dict[str, str | None] | None = None
                self._buf: list[str] = []

            def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
                a = dict(attrs)
                if a.get("id"):
                    parser.ids.add(str(a["id"]))
                if tag == "html":
                    parser.lang = a.get("lang")
                for attr in ("href", "src"):
                    if a.get(attr):
                        parser.links.append((tag, str(a[attr]), a))
                if tag == "script":
                    self._script, self._buf = a, []

            def handle_data(self, data: str) -> None:
                if self._script is not None:
                    self._buf.append(data)

            def handle_endtag(self, tag: str) -> None:
                if tag == "script" and self._script is not None:
                    parser.scripts.append((self._script, "".join(self._buf)))
                    self._script = None

        _P().feed(text)

    def jsonld(self) -> list[dict[str, object]]:
        import json

        return [json.loads(body) for attrs, body in self.scripts
                if attrs.get("type") == "application/ld+json"]


def html_pages(output: Path) -> list[Path]:
    """Every reader page. ``admin/`` is the editors' Decap CMS app, not a reader
    page: it is allowed to load Decap from its CDN and has no h1 of its own."""
    return sorted(p for p in output.rglob("*.html") if p.relative_to(output).parts[0] != "admin")


def page(output: Path, url_path: str) -> Path:
    """Output file for a site path such as ``/wilayah/33/``."""
    rel = url_path.split("#")[0].split("?")[0].lstrip("/")
    target = output / rel
    if rel == "" or rel.endswith("/"):
        target = target / "index.html"
    return target


def article_path(output: Path, item_id: str) -> Path:
    matches = list((output / "berita").glob(f"*/*/*-{item_id[:6]}/index.html"))
    assert len(matches) == 1, f"no single article page for {item_id}: {matches}"
    return matches[0]
