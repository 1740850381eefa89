"""The internal link checker on a hand-made site tree."""

from __future__ import annotations

import os
from pathlib import Path

from warta.ops.linkcheck import check_site


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


def test_cache_rereads_only_changed_pages_and_still_catches_removals(tmp_path: Path) -> None:
    """after a clean check, unchanged pages are not read again — unless a file went."""
    site, cache = tmp_path / "site", tmp_path / "site.linkcheck.json"
    page(site, "index.html", '<a href="berita/satu/">satu</a><a href="berita/dua/">dua</a>')
    page(site, "berita/satu/index.html", '<a href="/">beranda</a>')
    page(site, "berita/dua/index.html", '<a href="../satu/">satu</a>')
    (site / "pagefind").mkdir()
    (site / "pagefind/fragment-1.pf").write_bytes(b"x")  # replaced by every search indexing
    first = check_site(site, cache=cache)
    assert first.ok and first.links == 4 and cache.is_file()
    (site / "pagefind/fragment-1.pf").unlink()  # not a link target: the cache stays valid

    # Proof that unchanged pages are not read again: swap a page's bytes for a broken link of
    # the same length and put its mtime back — the cached check does not see it.
    dua = site / "berita/dua/index.html"
    st = dua.stat()
    dua.write_bytes(dua.read_bytes().replace(b"../satu/", b"../sat0/"))
    os.utime(dua, ns=(st.st_atime_ns, st.st_mtime_ns))
    page(site, "berita/tiga/index.html", '<a href="/berita/satu/">satu</a><a href="/x/">x</a>')
    second = check_site(site, cache=cache)
    assert second.pages == 4 and second.links == 6
    assert [(b.page, b.url) for b in second.broken] == [("berita/tiga/index.html", "/x/")]
    assert not cache.exists()  # a check with broken links is never trusted as a baseline

    assert check_site(site).broken_total == 2  # without the cache: both found
    page(site, "berita/dua/index.html", '<a href="../satu/">satu</a>')
    (site / "berita/tiga/index.html").unlink()
    assert check_site(site, cache=cache).ok and cache.is_file()
    # A removed page breaks links in pages that did not change: the cache is not used.
    (site / "berita/satu/index.html").unlink()
    third = check_site(site, cache=cache)
    assert {(b.page, b.url) for b in third.broken} == {("index.html", "berita/satu/"),
                                                       ("berita/dua/index.html", "../satu/")}


def test_list_files_matches_os_walk(tmp_path):
    """The scandir walk lists what os.walk lists: files, file links, not linked folders."""
    from warta.ops.linkcheck import list_files

    for rel in ("index.html", "berita/2025/01/a/index.html", "berita/2025/01/b/index.html",
                "pagefind/2025-01/fragment/x.pf_fragment", "a b/ç.html", "kosong/.keep"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    (tmp_path / "kosong2").mkdir()
    (tmp_path / "tautan").symlink_to(tmp_path / "berita", target_is_directory=True)
    (tmp_path / "tautan.html").symlink_to(tmp_path / "index.html")
    expected = set()
    for dirpath, _dirs, names in os.walk(tmp_path):
        rel = os.path.relpath(dirpath, tmp_path)
        expected |= {(name if rel == "." else f"{rel}/{name}") for name in names}
    assert list_files(tmp_path) == expected
    assert "tautan.html" in expected and not any(p.startswith("tautan/") for p in expected)
