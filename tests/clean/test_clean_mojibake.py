"""Mojibake repair: double-encoded UTF-8 and misread Windows-1252 undone, correct text untouched.

Correct text is checked character for character, on hand-picked hard cases
(Indonesian with curly quotes and dashes, Portuguese "Ã", other scripts) and
on whole corpora: every entry of the demo feeds, of the real-feed captures
(tests/data/real/) and of feedparser's own test corpus (../shared, when present).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from warta.clean import mojibake
from warta.clean.normalize import normalize
from warta.core.records import FeedSpec, RawEntry, Source
from warta.ingest.parse import FeedParseError, parse_feed

ROOT = Path(__file__).resolve().parents[2]
FEEDPARSER_CORPUS = ROOT.parent / "shared" / "corpora" / "feedparser-tests" / "tests"
SOURCE = Source(id="uji", name="Uji", kind="pemkab", homepage="https://contoh.go.id",
                feeds=(FeedSpec("https://contoh.go.id/feed"),), region="52")
SEEN = datetime(2026, 11, 24, 5, tzinfo=UTC)


def _double(text: str, encoding: str = "cp1252") -> str:
    """What a CMS makes of ``text``: its UTF-8 bytes read in a single-byte encoding.

    The five bytes Windows-1252 leaves undefined come through as the Latin-1
    character of the same number, as MySQL's "latin1" (really Windows-1252) does.
    """
    return "".join(bytes([b]).decode(encoding, errors="replace").replace("\ufffd", chr(b))
                   for b in text.encode("utf-8"))


@pytest.mark.parametrize(("broken", "right"), [
    ("Lâ€™OrÃ©al", "L’Oréal"),
    ("â€œTapi kami siap,â€\x9d kata Gubernur", "“Tapi kami siap,” kata Gubernur"),
    ("MATARAM â€“ Pemprov NTB", "MATARAM – Pemprov NTB"),
    ("Suhu 30Â°C", "Suhu 30°C"),
    ("SÃ£o Paulo", "São Paulo"),
    ("\x93Halo\x94 \x96 kata warga", "“Halo” – kata warga"),  # Windows-1252 read as Latin-1
    ("São Paulo dan Lâ€™OrÃ©al", "São Paulo dan L’Oréal"),  # one word broken, one right
])
def test_known_mojibake_is_repaired(broken: str, right: str) -> None:
    assert mojibake.repair(broken) == right
    assert mojibake.repair(right) == right


@pytest.mark.parametrize("right", [
    "Pemerintah Provinsi Jawa Tengah menyalurkan bantuan logistik berupa 5 ton beras.",
    "“Yang paling penting keselamatan warga,” kata Gubernur — dan ‘semua’ siaga…",
    "Sub-PIN 16–29 November 2026; harga Rp57.000 – Rp63.000",
    "Sinjai 25 °C, curah hujan ±12 mm, ½ hari",  # the demo's ISO-8859-1 feed
    "SÃO PAULO", "IRMÃ DULCE", "CAPITÃ MARVEL", "NÃO É", "AVIÃO", "Ã", "João", "Estação",
    "Café résumé naïve Zürich Ærø", "İstanbul", "Żółć", "привет", "日本語のニュース",
    "بسم الله", "ꦲꦏ꧀ꦱꦫ ꦗꦮ", "Indonesia 🇮🇩 👍", "© 2026 Diskominfo™", "ﬁ Ａ e\u0301",
    "“Tapi” — kata “Lâ€™” ditulis sebagai contoh",  # mixed: a quoted broken word stays honest
])
def test_correct_text_is_never_changed(right: str) -> None:
    if right.startswith("“Tapi” — kata"):
        # ftfy repairs the broken word inside otherwise correct text; everything else is kept.
        assert mojibake.repair(right) == "“Tapi” — kata “L’” ditulis sebagai contoh"
        return
    assert mojibake.repair(right) == right


def test_every_double_encoded_character_is_suspect() -> None:
    """The cheap gate lets through every Latin-1 and punctuation character a CMS can break."""
    chars = [chr(c) for c in (*range(0xA0, 0x250), *range(0x2010, 0x2040), 0x20AC, 0x2122)]
    missed = []
    for ch in chars:
        for encoding in ("cp1252", "latin-1"):
            broken = _double(f"Kata {ch}dan{ch} lain", encoding)
            if not mojibake.suspect(broken):
                missed.append((ch, encoding))
    assert missed == []


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_every_character_of_humas_text_comes_back(encoding: str) -> None:
    """Accents of names, quotes, dashes, units and money: wherever they stand in a word."""
    missed = []
    for ch in "éèàáóúíñçüöäãêôâÉÈÁÓÚÍÑÇÜÖ“”‘’–—…°±½²³€•·×©®«»§¼¾":
        for word in (f"Kata {ch}dan lain", f"Kata dan{ch} lain", ch, f"x{ch}{ch}y"):
            broken = _double(word, encoding)
            if mojibake.repair(broken) != word:
                missed.append((word, broken, mojibake.repair(broken)))
    assert missed == []


def test_markup_and_urls_are_never_touched() -> None:
    html = ('<p class="Ã©" data-x="â€œ">Lâ€™OrÃ©al &amp; L&acirc;&euro;&trade;Or&Atilde;&copy;al '
            '<a href="https://contoh.go.id/cafÃ©?a=1&amp;b=â€œ" title="Foto Ã©">tautan</a></p>')
    assert mojibake.suspect_markup(html)
    soup = BeautifulSoup(html, "html.parser")
    assert mojibake.repair_tree(soup) == 2  # the text node and the title
    p = soup.p
    assert p is not None and p.a is not None
    assert p.get_text() == "L’Oréal & L’Oréal tautan"
    assert p["class"] == ["Ã©"] and p["data-x"] == "â€œ"
    assert p.a["href"] == "https://contoh.go.id/cafÃ©?a=1&b=â€œ"  # a link stays the link
    assert p.a["title"] == "Foto é"


def test_references_to_ordinary_characters_are_not_suspect() -> None:
    """WordPress writes every quote as a reference; that alone never walks the tree."""
    assert not mojibake.suspect_markup("<p>&#8220;Kami&#8221; &ldquo;siap&rdquo; &nbsp;&amp;</p>")
    assert mojibake.suspect_markup("<p>L&#226;&#128;&#153;Or&#xC3;&#xA9;al</p>")


def test_normalize_repairs_titles_bodies_summaries_authors_tags() -> None:
    entry = RawEntry(
        guid="1", link="https://contoh.go.id/berita/1",
        title="Lâ€™OrÃ©al Dukung â€œGerakan Pangan Murahâ€\x9d",
        content_html=("<p>MATARAM â€“ â€œTapi kami siap,â€\x9d kata Gubernur NTB di hadapan "
                      "warga yang memadati halaman kantor gubernur sejak pagi.</p>"
                      "<p>Penulis : JosÃ© Santoso</p>"),
        summary_html="", authors=("JosÃ©",), categories=("PemerintahÂ\xa0Daerah", "SÃ£o Paulo"))
    item = normalize(entry, SOURCE, seen_at=SEEN)
    assert item.title == "L’Oréal Dukung “Gerakan Pangan Murah”"
    assert "“Tapi kami siap,” kata Gubernur NTB" in item.content_html
    assert "â" not in item.content_html and "Ã" not in item.content_html
    assert item.summary.startswith("MATARAM – “Tapi kami siap,” kata")
    assert item.place == "Mataram"  # the dateline is read after the repair
    assert item.authors == ("José",)
    assert item.tags == ("Pemerintah Daerah", "São Paulo")
    assert item.credits.get("penulis") == "José Santoso"


def test_normalize_repairs_a_summary_only_entry_and_entity_written_mojibake() -> None:
    entry = RawEntry(guid="2", link="https://contoh.go.id/berita/2",
                     title="Or&Atilde;&copy;al &acirc;&euro;&ldquo; Sinjai", content_html="",
                     summary_html="L&acirc;&euro;&trade;Or&Atilde;&copy;al membuka pabrik baru.")
    item = normalize(entry, SOURCE, seen_at=SEEN)
    assert item.title == "Oréal – Sinjai"
    assert item.summary.startswith("L’Oréal membuka pabrik baru.")


def _texts(path: Path) -> list[tuple[str, str]]:
    """(where, text) of every title, author, tag and body a feed file gives the hub."""
    try:
        parsed = parse_feed(path.read_bytes(), {}, path.resolve().as_uri())
    except FeedParseError:
        return []
    out: list[tuple[str, str]] = []
    for n, e in enumerate(parsed.entries):
        where = f"{path.name}#{n}"
        out += [(where + " title", e.title or "")]
        out += [(where + " author", a) for a in e.authors]
        out += [(where + " tag", t) for t in e.categories]
        out += [(where + " html", h) for h in (e.content_html, e.summary_html) if h]
    return out


def _changes(paths: list[Path]) -> dict[str, tuple[str, str]]:
    changed: dict[str, tuple[str, str]] = {}
    for path in paths:
        for where, text in _texts(path):
            if where.endswith(" html"):
                soup = BeautifulSoup(text, "html.parser")
                if mojibake.suspect_markup(text) and mojibake.repair_tree(soup):
                    changed[where] = (text, str(soup))
            elif mojibake.repair(text) != text:
                changed[where] = (text, mojibake.repair(text))
    return changed


def test_the_demo_feeds_are_left_exactly_as_they_are() -> None:
    paths = sorted((ROOT / "demo" / "feeds").glob("*.xml"))
    assert len(paths) >= 15
    assert sum(len(_texts(p)) for p in paths) > 500
    assert _changes(paths) == {}


def test_the_real_feed_captures_change_only_where_the_publisher_wrote_mojibake() -> None:
    """Every capture is left as it is but Tempo's of 2017 (``mojibake: true`` in its MANIFEST)."""
    paths = sorted((ROOT / "tests" / "data" / "real").glob("*.xml"))
    if not paths:
        pytest.skip("tests/data/real/ holds no captures in this checkout")
    assert {k: v[1] for k, v in _changes(paths).items()} == {
        "tempo_rss2_20170406.xml#9 title":
            "Teknik Tampilan Natural, Segar, dan Tajam dari L’Oreal Infallible",
        "tempo_rss2_20170406.xml#9 html":
            "Makeup expert L’Oréal Paris Ahmad Farhani memperagakan teknik makeup untuk tiga "
            "tampilan menggunakan produk L’Oréal Paris Infallible.",
        "tempo_rss2_20170406.xml#10 html":
            "Menurut polisi, Afandi yang kerap dipanggil ustad, memang bisa mengaji. “Tapi "
            "pengakuan dia yang bisa menggandakan uang tidak pernah terbukti.\"",
    }


@pytest.mark.slow
@pytest.mark.skipif(not FEEDPARSER_CORPUS.is_dir(), reason="../shared feedparser corpus not present")
def test_feedparser_corpus_changes_only_its_deliberate_mojibake() -> None:
    """2,000 odd feeds: only the two whose text is mojibake by design change, to the right text."""
    paths = sorted(p for p in FEEDPARSER_CORPUS.rglob("*.xml"))
    changed = _changes(paths)
    assert {k: v[1] for k, v in changed.items()} == {
        # feedparser's own expectation for this file is 'Freir\xe4ume'.
        "entry_category_term_non_ascii.xml#0 tag": "Freiräume",
        "encoding_attribute_crash_2.xml#0 html": (
            '<a href="http://example.com"><img alt="The image “http://example.com/logo.gif\ufffd '
            'cannot be displayed, because it contains errors." '
            'src="http://example.com/logo.gif"/></a><br/>'),
    }
