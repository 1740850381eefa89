"""Listing feeds in three formats, monthly archives, widget JSON and the published schemas."""

from __future__ import annotations

import json
import re
from pathlib import Path

import feedparser
import jsonschema
import pytest
from warta.site.opendata import SCHEMA_SOURCE

from tests.support.site import page

BASE = "http://127.0.0.1:8000/"


def _validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMA_SOURCE / name).read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def _errors(validator: jsonschema.Draft202012Validator, doc: object) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(doc)]


@pytest.fixture(scope="module")
def feed_schema():
    return _validator("feed.schema.json")


def test_schemas_are_published(built_site):
    published = sorted(p.name for p in (built_site.output / "api/v1/schema").iterdir())
    assert published == sorted(p.name for p in SCHEMA_SOURCE.glob("*.schema.json"))
    assert "widget.schema.json" in published and "feed.schema.json" in published


def test_latest_and_sources_validate(built_site, feed_schema):
    out = built_site.output
    latest = json.loads((out / "api/v1/latest.json").read_text())
    assert _errors(feed_schema, latest) == []
    sources = json.loads((out / "api/v1/sources.json").read_text())
    assert _errors(_validator("sources.schema.json"), sources) == []


def test_schema_rejects_a_broken_item(feed_schema):
    bad = {"version": "https://jsonfeed.org/version/1.1", "title": "x",
           "items": [{"id": "a", "url": "http://x/", "title": "t", "summary": "s",
                      "date_published": "kemarin", "_warta": {}}]}
    errors = " ".join(_errors(feed_schema, bad))
    assert "content_html" in errors or "anyOf" in errors or "is not valid under any" in errors
    assert "kemarin" in errors and "'source' is a required property" in errors


def test_every_listing_has_three_feed_formats(built_site, feed_schema):
    feeds = built_site.output / "feeds"
    jsons = sorted(feeds.rglob("*.json"))
    atoms = sorted(feeds.rglob("*.atom.xml"))
    assert len(jsons) == len(atoms) == len(list(feeds.rglob("*.rss.xml")))
    for kind in ("wilayah", "sumber", "jenis", "kategori", "topik"):
        assert list((feeds / kind).glob("*.json")), kind
    for path in jsons:
        doc = json.loads(path.read_text())
        assert _errors(feed_schema, doc) == [], path
        assert doc["feed_url"] == BASE + str(path.relative_to(built_site.output))
    for path in sorted((feeds / "topik").glob("*.xml")):
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo and parsed.entries, path


def test_json_feed_items_are_the_latest_json_contract(built_site):
    out = built_site.output
    latest = {i["id"]: i for i in json.loads((out / "api/v1/latest.json").read_text())["items"]}
    region = json.loads((out / "feeds/wilayah/33.01.json").read_text())
    titles = [i["title"] for i in region["items"]]
    assert "Seribu Sertifikat Tanah Dibagikan kepada Warga Cilacap" in titles
    assert "Pemkot Makassar Tata Ulang Pasar Terong" not in titles
    for item in region["items"]:
        # Listing feeds carry the summary as the item's text; latest.json the whole report.
        whole = latest[item["id"]]
        assert item["content_text"] == item["summary"] == whole["summary"]
        assert ({k: v for k, v in item.items() if k != "content_text"}
                == {k: v for k, v in whole.items() if k != "content_html"})
    (kemenkes,) = json.loads((out / "feeds/sumber/uji-kemenkes.json").read_text())["items"]
    assert "content_html" not in kemenkes and "kegiatan.jpg" not in kemenkes["content_text"]
    assert kemenkes["_warta"]["source"] == "uji-kemenkes"


@pytest.mark.parametrize("url_path,key", [
    ("/wilayah/33.01/", "wilayah/33.01"), ("/sumber/uji-bpn-cilacap/", "sumber/uji-bpn-cilacap"),
    ("/jenis/pemkab/", "jenis/pemkab"), ("/kategori/klarifikasi-hoaks/", "kategori/klarifikasi-hoaks"),
    ("/topik/stunting/", "topik/stunting"), ("/", "semua"),
])
def test_listing_pages_link_all_formats(built_site, url_path, key):
    html = page(built_site.output, url_path).read_text()
    for mime, ext in (("application/atom+xml", "atom.xml"), ("application/rss+xml", "rss.xml"),
                      ("application/feed+json", "json")):
        href = f"{BASE}feeds/{key}.{ext}"
        assert re.search(rf'<link rel="alternate" type="{re.escape(mime)}" title="[^"]+" '
                         rf'href="{re.escape(href)}">', html), (url_path, ext)
        assert (built_site.output / "feeds" / f"{key}.{ext}").is_file()


def test_monthly_archives(built_site, feed_schema):
    out = built_site.output
    index = json.loads((out / "api/v1/archive/index.json").read_text())
    assert _errors(_validator("archive-index.schema.json"), index) == []
    latest = {i["id"]: i for i in json.loads((out / "api/v1/latest.json").read_text())["items"]}
    months = [m["month"] for m in index["months"]]
    assert months == sorted(months, reverse=True) and index["count"] == len(months)
    seen: set[str] = set()
    for m in index["months"]:
        path = out / "api/v1/archive" / f"{m['month']}.json"
        assert m["url"] == BASE + str(path.relative_to(out))
        doc = json.loads(path.read_text())
        assert _errors(feed_schema, doc) == [], path
        assert len(doc["items"]) == m["count"]
        for item in doc["items"]:
            assert item["date_published"].startswith(m["month"])
            assert item["id"] not in seen
            seen.add(item["id"])
            if item["id"] in latest:
                assert item == latest[item["id"]]
    pages = sum(1 for _ in (out / "berita").glob("*/*/*/index.html"))
    assert len(seen) == pages  # every article is in exactly one month


def test_widget_json(built_site):
    out = built_site.output
    validator = _validator("widget.schema.json")
    files = sorted((out / "api/v1/widget").rglob("*.json"))
    assert {p.parent.name for p in files} == {"sumber", "wilayah", "kategori"}
    for path in files:
        assert _errors(validator, json.loads(path.read_text())) == [], path
    doc = json.loads((out / "api/v1/widget/sumber/uji-pemkab-cilacap.json").read_text())
    assert doc["home_page_url"] == BASE + "sumber/uji-pemkab-cilacap/"
    assert doc["widget_url"] == BASE + "widget/sumber/uji-pemkab-cilacap/"
    assert doc["items"][0]["title"] == "Pemkab Cilacap Salurkan Bantuan Korban Banjir di Kroya"
    assert all(set(i) == {"title", "url", "date", "source"} for i in doc["items"])
    assert {i["source"] for i in doc["items"]} == {"Pemkab Cilacap"}
    dates = [i["date"] for i in doc["items"]]
    assert dates == sorted(dates, reverse=True) and dates[0].endswith("+07:00")
    assert len(json.dumps(doc)) < 8000  # small
    region = json.loads((out / "api/v1/widget/wilayah/33.json").read_text())
    assert {i["source"] for i in region["items"]} >= {"Pemkab Cilacap", "Kantah Cilacap"}
    assert (out / "api/v1/widget/kategori/klarifikasi-hoaks.json").is_file()
    assert not (out / "api/v1/widget/wilayah/91.03.json").exists()  # no institution registered


def test_widget_html_is_self_contained(built_site):
    out = built_site.output
    pages = sorted((out / "widget").glob("*/*/index.html"))
    assert len(pages) == len(list((out / "api/v1/widget").rglob("*.json")))
    for p in pages:
        html = p.read_text()
        assert "<script" not in html.lower() and "<link" not in html.lower()
        assert "default-src 'none'" in html
        for tag in re.findall(r"<a [^>]*>", html):
            assert 'target="_blank"' in tag and 'rel="noopener"' in tag, (p, tag)
        assert not re.search(r'(src)="', html)
    hostile = (out / "widget/sumber/uji-pemkab-cilacap/index.html").read_text()
    assert "Sosialisasi &amp; Tertib Lalu Lintas" in hostile  # the feed's markup is gone, text kept


def test_documentation_pages(built_site):
    widget = page(built_site.output, "/widget/").read_text()
    for needle in ("&lt;iframe", 'sandbox="allow-popups allow-popups-to-escape-sandbox"', "fetch(",
                   "Access-Control-Allow-Origin", "textContent", "/widget/wilayah/33/",
                   "/api/v1/widget/sumber/"):
        assert needle in widget, needle
    api = page(built_site.output, "/api/").read_text()
    for needle in ("api/v1/latest.json", "api/v1/sources.json", "api/v1/archive/index.json",
                   "feed.schema.json", "widget.schema.json", "archive-index.schema.json",
                   "_warta", "content_text"):
        assert needle in api, needle
    footer = page(built_site.output, "/").read_text()
    assert 'href="/widget/"' in footer and 'href="/api/"' in footer


def test_schema_source_files_parse():
    for path in Path(SCHEMA_SOURCE).glob("*.json"):
        jsonschema.Draft202012Validator.check_schema(json.loads(path.read_text()))
