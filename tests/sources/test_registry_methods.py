"""Registry ``feeds:`` entries that are mappings: wordpress / sitemap / html."""

from __future__ import annotations

from pathlib import Path

from warta.ops import cli
from warta.sources.registry import load_registry, parse_source

HEAD = """id: pemkab-contoh
name: Pemerintah Kabupaten Contoh
kind: pemkab
region: "33.01"
homepage: https://contoh.go.id
feeds:
"""


def _parse(feeds: str):
    return parse_source(Path("pemkab-contoh.yml"), HEAD + feeds)


def test_all_three_methods_parse_into_feed_specs() -> None:
    src, errors = _parse(
        "  - https://contoh.go.id/feed/\n"
        "  - wordpress: https://contoh.go.id/\n"
        "  - sitemap: https://contoh.go.id/sitemap-news.xml\n"
        "  - html: https://contoh.go.id/berita/\n"
        "    item: \"h2.judul a\"\n"
        "    title: \"h1\"\n"
        "    date: \"span.tanggal\"\n"
        "    body: \"div.isi\"\n"
        "    image: \"div.isi img\"\n"
    )
    assert errors == []
    assert src is not None
    methods = [(f.method, f.url) for f in src.feeds]
    assert methods == [("feed", "https://contoh.go.id/feed/"), ("wordpress", "https://contoh.go.id/"),
                       ("sitemap", "https://contoh.go.id/sitemap-news.xml"),
                       ("html", "https://contoh.go.id/berita/")]
    assert dict(src.feeds[3].options) == {"item": "h2.judul a", "title": "h1", "date": "span.tanggal",
                                          "body": "div.isi", "image": "div.isi img"}


def test_unknown_key_is_named_with_a_suggestion_and_the_entry_line() -> None:
    src, errors = _parse("  - https://contoh.go.id/feed/\n  - sitemaps: https://contoh.go.id/s.xml\n")
    assert src is None
    assert len(errors) == 1
    e = errors[0]
    assert e.field == "feeds[2]"
    assert e.line == 8  # the entry's own line, not the 'feeds:' line
    assert "kunci tidak dikenal: sitemaps" in e.message and "maksud Anda 'sitemap'" in e.message


def test_html_without_item_is_refused() -> None:
    src, errors = _parse("  - html: https://contoh.go.id/berita/\n    body: div.isi\n")
    assert src is None
    assert [e.field for e in errors] == ["feeds[1]"]
    assert "wajib disertai 'item'" in errors[0].message


def test_selector_that_does_not_parse_names_the_key() -> None:
    src, errors = _parse("  - html: https://contoh.go.id/berita/\n    item: \"h2[class=\"\n"
                         "    date: \"span..tanggal\"\n")
    assert src is None
    fields = sorted(e.field for e in errors)
    assert fields == ["feeds[1].date", "feeds[1].item"]
    assert all("tidak dapat dibaca" in e.message and "contoh yang benar" in e.message for e in errors)


def test_empty_selector_and_selectors_on_other_methods() -> None:
    _, errors = _parse("  - html: https://contoh.go.id/berita/\n    item: \"\"\n")
    assert errors and "harus berisi selektor CSS" in errors[0].message
    _, errors = _parse("  - sitemap: https://contoh.go.id/s.xml\n    item: \"a\"\n")
    assert errors and "hanya berlaku untuk 'html'" in errors[0].message


def test_misindented_selector_gets_an_indentation_hint() -> None:
    _, errors = _parse("  - html: https://contoh.go.id/berita/\n  - item: \"h2 a\"\n")
    messages = " | ".join(e.message for e in errors)
    assert "periksa indentasi" in messages
    assert "wajib disertai 'item'" in messages


def test_two_methods_in_one_entry_and_bad_urls() -> None:
    _, errors = _parse("  - wordpress: https://contoh.go.id/\n    sitemap: https://contoh.go.id/s.xml\n")
    assert errors and "tepat satu dari" in errors[0].message and "wordpress, sitemap" in errors[0].message
    _, errors = _parse("  - wordpress: file:wp.json\n")
    assert errors and errors[0].field == "feeds[1].wordpress"
    _, errors = _parse("  - sitemap: contoh.go.id/sitemap.xml\n")
    assert errors and "harus diawali" in errors[0].message


def test_invoke_check_reports_feed_entry_problems(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "pemkab-contoh.yml").write_text(
        HEAD + "  - html: https://contoh.go.id/berita/\n    item: \"a[href\"\n", encoding="utf-8")
    # Registry only: no articles, no takedowns.yml.
    assert cli.check(folder, tmp_path / "content", None) == 1
    out = capsys.readouterr().out
    assert "feeds[1].item" in out and "tidak dapat dibaca" in out
    sources, errors = load_registry(folder)
    assert sources == [] and len(errors) == 1
