"""The internal link checker on a hand-made site tree."""

from __future__ import annotations

from pathlib import Path

from warta.linkcheck import check_site


def page(root: Path, rel: str, body: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<!doctype html><html><body>{body}</body></html>", encoding="utf-8")


def test_resolves_relative_root_and_absolute_links(tmp_path: Path) -> None:
    page(tmp_path, "index.html",
         '<a href="berita/satu/">ok dir</a> <a href="/berita/dua/index.html#x">ok file</a>'
         '<a href="https://warta.example.id/sub/topik/">ok absolute</a>'
         '<img src="img/foto%20a.jpg" srcset="img/foto%20a.jpg 1x, img/hilang.jpg 2x">'
         '<a href="https://kominfo.go.id/x">external is not checked</a>'
         '<a href="mailto:humas@contoh.go.id">mail</a> <a href="#isi">anchor</a>'
         "<a href='?halaman=2'>query only</a> <a href=\"berita/satu\">dir without slash</a>")
    page(tmp_path, "berita/satu/index.html", '<a href="../dua/">sibling</a> <a href="../../../luar">out</a>')
    page(tmp_path, "berita/dua/index.html", '<a href="/sub/topik/">root under sub-path</a>'
         '<a href="/tidak-ada/">missing</a><link href="https://warta.example.id/sub/feeds/x.xml">')
    page(tmp_path, "topik/index.html", "")
    (tmp_path / "img").mkdir()
    (tmp_path / "img/foto a.jpg").write_bytes(b"jpg")
    report = check_site(tmp_path, bases=["https://warta.example.id/sub"])
    broken = {(b.page, b.url) for b in report.broken}
    assert broken == {
        ("index.html", "img/hilang.jpg"),
        ("berita/satu/index.html", "../../../luar"),
        ("berita/dua/index.html", "/tidak-ada/"),
        ("berita/dua/index.html", "https://warta.example.id/sub/feeds/x.xml"),
    }
    assert report.pages == 4
    assert report.broken_total == 4 and not report.ok


def test_limit_keeps_counting(tmp_path: Path) -> None:
    page(tmp_path, "index.html", "".join(f'<a href="/x{i}/">x</a>' for i in range(30)))
    report = check_site(tmp_path, limit=5)
    assert len(report.broken) == 5 and report.broken_total == 30


def test_clean_site_is_ok(tmp_path: Path) -> None:
    page(tmp_path, "index.html", '<a href="./">self</a><a href="a.html">a</a>')
    page(tmp_path, "a.html", '<a href="index.html">home</a><a href="/">root</a>')
    report = check_site(tmp_path)
    assert report.ok and report.links == 4
