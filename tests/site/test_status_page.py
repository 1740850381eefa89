"""The /status/ dashboard as built by Pelican from the fixture archive, with and without a browser."""

from __future__ import annotations

import functools
import http.server
import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from warta.ops import cli
from warta.ops.linkcheck import check_site
from warta.site.status import FILTERS, SORTS

from tests.conftest import ROOT
from tests.support.health_fixture import NOW, build_archive, write_registry
from tests.support.tools import require


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("status")
    db = build_archive(base / "arsip.sqlite")
    reg = write_registry(base / "sources")
    return cli.build(settings_file=ROOT / "pelicanconf.py", sources_dir=reg, db=db,
                     output=base / "output",
                     overrides={"PATH": str(ROOT / "content"), "WARTA_BUILD_TIME": NOW.isoformat(),
                                "SITEURL": "", "FEED_DOMAIN": ""})


def row(html: str, sid: str) -> str:
    match = re.search(rf'<tr id="sumber-{sid}".*?</tr>', html, re.S)
    assert match, sid
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0))).strip()


def test_dashboard_shows_fixture_numbers(site: Path) -> None:
    html = (site / "status/index.html").read_text(encoding="utf-8")
    a = row(html, "pemkab-a")
    assert "Pemerintah Kabupaten A" in a and " ok " in f" {a} "
    assert "1 jam 3 4 2 jam (n=3)" in a  # newest age, 7 d, 30 d, average delay
    b = row(html, "pemprov-b")
    assert "gagal sejak Jumat, 27 Februari 2026 19.00 WIB" in b and "senyap" in b
    assert "diblokir 403" in b and "15 hari 0 2 6 jam (n=1)" in b
    assert "Sabtu, 14 Februari 2026 19.00 WIB" in b  # last success, in WIB
    assert "tidak berubah" in row(html, "kementerian-c")
    assert "belum pernah diambil" in row(html, "pemkab-d")
    # Charts: one inline SVG per region and per kind, drawn at build time.
    assert html.count('<svg class="grafik"') == 3 + 3
    assert html.count("<rect ") == 6 * 12
    assert "minggu mulai" in html and 'role="img"' in html
    assert "Jawa Tengah" in html and "Jawa Timur" in html and "Nasional" in html
    assert "https://b.go.id/feed/" in html  # broken feeds section
    assert "1 ok" in html and "1 gagal" in html and "3 senyap lebih dari 14 hari" in html


def test_every_view_is_prerendered_and_linked(site: Path) -> None:
    for fview, _ in FILTERS:
        for sview, _ in SORTS:
            if (fview.slug, sview.slug) == ("semua", "status"):
                continue
            page = site / "status" / fview.slug / sview.slug / "index.html"
            assert page.is_file(), page
    failing = (site / "status/gagal/status/index.html").read_text(encoding="utf-8")
    assert 'id="sumber-pemprov-b"' in failing and 'id="sumber-pemkab-a"' not in failing
    by_week = (site / "status/semua/7-hari/index.html").read_text(encoding="utf-8")
    assert re.findall(r'<tr id="sumber-([^"]+)"', by_week)[0] == "pemkab-a"
    assert 'aria-sort="descending"' in by_week
    report = check_site(site)
    status_broken = [b for b in report.broken if b.page.startswith("status/")]
    assert status_broken == []


def test_sources_json_carries_health_numbers(site: Path) -> None:
    doc = json.loads((site / "api/v1/sources.json").read_text(encoding="utf-8"))
    rows = {r["id"]: r for r in doc["sources"]}
    a, b = rows["pemkab-a"], rows["pemprov-b"]
    # Existing fields keep their meaning.
    assert (a["status"], b["status"], rows["kementerian-c"]["status"]) == ("ok", "error", "stale")
    assert b["last_error"] and b["last_success"].startswith("2026-02-14T12:00")
    # New health numbers.
    assert (a["items_7d"], a["items_30d"], a["avg_delay_hours"], a["newest_item_age_hours"]) == (
        3, 4, 2.0, 1.0)
    assert a["weekly_items"] == [0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 1, 3]
    assert (b["fetch_status"], b["silent"], b["delay_samples"]) == ("error", True, 1)
    assert rows["pemkab-d"]["fetch_status"] == "never"
    assert doc["generated"] == "2026-03-01T12:00:00+00:00"


@pytest.fixture
def served(site: Path) -> Iterator[str]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.mark.browser
def test_sorting_and_filtering_work_with_javascript_disabled(served: str, tmp_path: Path) -> None:
    require("chromium")
    require("chromedriver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    opts = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", f"--user-data-dir={tmp_path / 'profil'}"):
        opts.add_argument(arg)
    opts.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    try:
        driver.get(f"{served}/status/")
        ids = [r.get_attribute("id") for r in driver.find_elements(By.CSS_SELECTOR, "tbody tr[id]")]
        assert ids == ["sumber-pemprov-b", "sumber-pemkab-d", "sumber-kementerian-c",
                       "sumber-pemkab-a"]
        charts = driver.find_elements(By.CSS_SELECTOR, "svg.grafik")
        assert len(charts) == 6 and charts[0].size["width"] > 50
        driver.find_element(By.LINK_TEXT, "7 hari").click()
        assert driver.current_url.endswith("/status/semua/7-hari/#tabel")
        first = driver.find_element(By.CSS_SELECTOR, "tbody tr[id]").get_attribute("id")
        assert first == "sumber-pemkab-a"
        driver.find_element(By.PARTIAL_LINK_TEXT, "Gagal (1)").click()
        rows = driver.find_elements(By.CSS_SELECTOR, "table.sumber tbody tr")
        assert [r.get_attribute("id") for r in rows] == ["sumber-pemprov-b"]
        assert "/status/gagal/7-hari/" in driver.current_url
    finally:
        driver.quit()
