"""Search and widgets as a reader and a pemda site see them, in headless Chromium.

* ``/cari/`` on the built hub: type a query, see results, apply a filter, results change;
  keyboard only (Tab to the box, Enter, Tab through results).
* A multi-bundle index (synthetic pages over five years, small bundle cap): date sort
  is global across bundles, relevance merges them.
* The widget inside an ``<iframe>`` of a page served from a second server (another port).
"""

from __future__ import annotations

import functools
import http.server
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pytest
from warta.search.pagefind import index_site

from tests.support.tools import require

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def driver() -> Iterator[object]:
    require("chromium")
    require("chromedriver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="warta-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", f"--user-data-dir={profile}", "--window-size=1000,1400"):
        opts.add_argument(arg)
    drv = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    try:
        yield drv
    finally:
        drv.quit()
        shutil.rmtree(profile, ignore_errors=True)


def wait_for(check: Callable[[], object], timeout: float = 15.0) -> object:
    end = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError("timed out waiting for the page")
        time.sleep(0.05)


def status(driver) -> str:
    return driver.execute_script("return document.getElementById('cari-status').textContent")


def texts(driver, selector: str) -> list[str]:
    """Read in one script call: results re-render while a search runs."""
    return driver.execute_script(
        "return [...document.querySelectorAll(arguments[0])].map(e => e.textContent.trim())",
        selector)


def titles(driver) -> list[str]:
    return texts(driver, "#cari-hasil h2 a")


def filters_ready(driver) -> bool:
    from selenium.webdriver.common.by import By

    return len(driver.find_elements(By.CSS_SELECTOR, "#saring-wilayah option")) > 1


def test_search_type_filter_and_keyboard(searched_site, driver):
    built_site = searched_site
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    with serve(built_site.output) as base:
        driver.get(base + "/")
        nav = driver.find_element(By.CSS_SELECTOR, 'nav a[href="/cari/"]')
        assert nav.text == "Cari"
        nav.click()
        wait_for(lambda: filters_ready(driver))
        # Keyboard only: the skip link, then Tab moves through the header into the search box.
        body = driver.find_element(By.TAG_NAME, "body")
        body.send_keys(Keys.TAB)
        for _ in range(20):
            if driver.switch_to.active_element.get_attribute("id") == "cari-q":
                break
            driver.switch_to.active_element.send_keys(Keys.TAB)
        box = driver.switch_to.active_element
        assert box.get_attribute("id") == "cari-q"
        box.send_keys("banjir", Keys.ENTER)
        wait_for(lambda: "Ditemukan" in status(driver) and titles(driver))
        found = titles(driver)
        # Indonesian stemming and full text: reports from several institutions match.
        assert "Pemkab Cilacap Salurkan Bantuan Korban Banjir di Kroya" in found
        assert "Kantah Cilacap Bantu Data Lahan Terdampak Banjir Kroya" in found
        assert "Pemkot Makassar Tata Ulang Pasar Terong" not in found
        count = int(status(driver).split()[1].replace(".", ""))
        assert count == len(found) or count > 10
        assert "banjir" in driver.find_element(By.CSS_SELECTOR, "#cari-hasil mark").text.lower()
        assert "q=banjir" in driver.current_url

        # A filter narrows the results: only the land office.
        source = Select(driver.find_element(By.ID, "saring-sumber"))
        source.select_by_value("Kantor Pertanahan Kabupaten Cilacap (Uji)")
        wait_for(lambda: titles(driver) and titles(driver) != found)
        narrowed = titles(driver)
        assert narrowed == ["Kantah Cilacap Bantu Data Lahan Terdampak Banjir Kroya"]
        assert status(driver) == "Ditemukan 1 hasil untuk banjir"
        meta = driver.find_element(By.CSS_SELECTOR, "#cari-hasil .meta").text
        assert meta.startswith("Kantah Cilacap · ")

        # Province filter instead: Makassar is in Sulawesi Selatan.
        source.select_by_value("")
        Select(driver.find_element(By.ID, "saring-wilayah")).select_by_value("Sulawesi Selatan")
        box = driver.find_element(By.ID, "cari-q")
        box.clear()
        box.send_keys("pasar", Keys.ENTER)
        wait_for(lambda: "Pemkot Makassar Tata Ulang Pasar Terong" in titles(driver))
        assert not [t for t in titles(driver) if "Cilacap" in t or "Semarang" in t]

        # A result is reachable by keyboard and leads to the article.
        driver.find_element(By.LINK_TEXT, "Pemkot Makassar Tata Ulang Pasar Terong").send_keys(Keys.ENTER)
        wait_for(lambda: "/berita/" in driver.current_url)
        assert driver.find_element(By.TAG_NAME, "h1").text == "Pemkot Makassar Tata Ulang Pasar Terong"

        # A shared URL restores the search.
        driver.get(base + "/cari/?q=sertifikat")
        wait_for(lambda: "Seribu Sertifikat Tanah Dibagikan kepada Warga Cilacap" in titles(driver))
        assert driver.find_element(By.ID, "cari-q").get_attribute("value") == "sertifikat"
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"
                  and "favicon" not in e["message"] and base in e["message"]]
        assert errors == []  # nothing of ours failed (article images point at the sources)


@pytest.fixture(scope="module")
def multi_bundle_site(tmp_path_factory) -> Path:
    from benchmarks.search_bench import generate

    site = tmp_path_factory.mktemp("multi") / "site"
    generate(site, 240)
    report = index_site(site, {"WARTA_SEARCH_BUNDLE_MAX_PAGES": 70})
    assert len(report.bundles) >= 4
    return site


def _result_dates(driver) -> list[datetime]:
    return [datetime.strptime(text.rsplit(" · ", 1)[1], "%d-%m-%Y")
            for text in texts(driver, "#cari-hasil .meta")]


def test_date_sort_is_global_across_bundles(multi_bundle_site, driver):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    with serve(multi_bundle_site) as base:
        driver.get(base + "/cari/")
        wait_for(lambda: filters_ready(driver))
        box = driver.find_element(By.ID, "cari-q")
        box.send_keys("bantuan")
        wait_for(lambda: "Ditemukan" in status(driver) and titles(driver))
        total = int(status(driver).split()[1].replace(".", ""))
        assert total > 60  # matches in every bundle
        Select(driver.find_element(By.ID, "cari-urut")).select_by_value("terbaru")
        wait_for(lambda: "urut=terbaru" in driver.current_url and len(titles(driver)) == 10)
        more = driver.find_element(By.ID, "cari-lagi")
        for _ in range(2):
            n = len(titles(driver))
            more.click()
            wait_for(lambda n=n: len(titles(driver)) > n)
        newest = _result_dates(driver)
        assert newest == sorted(newest, reverse=True) and newest[0].year == 2025
        # "Load more" moved focus to the first new result.
        assert driver.switch_to.active_element.tag_name == "a"
        Select(driver.find_element(By.ID, "cari-urut")).select_by_value("terlama")
        wait_for(lambda: "urut=terlama" in driver.current_url and len(titles(driver)) == 10)
        wait_for(lambda: _result_dates(driver) and _result_dates(driver)[0].year == 2021)
        oldest = _result_dates(driver)
        assert oldest == sorted(oldest)
        # Relevance merges the bundles: results from several years.
        Select(driver.find_element(By.ID, "cari-urut")).select_by_value("relevansi")
        wait_for(lambda: "urut" not in driver.current_url and len(titles(driver)) == 10)
        assert len({d.year for d in _result_dates(driver)}) > 1
        assert int(status(driver).split()[1].replace(".", "")) == total


def test_widget_in_an_iframe_on_another_origin(built_site, driver, tmp_path):
    from selenium.webdriver.common.by import By

    with serve(built_site.output) as hub:
        host = tmp_path / "pemda"
        host.mkdir()
        (host / "index.html").write_text(
            '<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Pemda</title></head>'
            "<body><h1>Situs Pemda</h1>"
            f'<iframe id="w" src="{hub}/widget/sumber/uji-pemkab-cilacap/" title="Berita" '
            'width="100%" height="460" sandbox="allow-popups allow-popups-to-escape-sandbox">'
            "</iframe></body></html>", encoding="utf-8")
        with serve(host) as pemda:
            assert pemda.rsplit(":", 1)[1] != hub.rsplit(":", 1)[1]
            driver.get(pemda + "/")
            frame = driver.find_element(By.ID, "w")
            driver.switch_to.frame(frame)
            try:
                wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "li a"))
                links = driver.find_elements(By.CSS_SELECTOR, "a")
                headlines = [a.text for a in driver.find_elements(By.CSS_SELECTOR, "li a")]
                assert headlines[0] == "Pemkab Cilacap Salurkan Bantuan Korban Banjir di Kroya"
                assert len(headlines) >= 4
                for a in links:
                    assert a.get_attribute("target") == "_blank"
                    assert "noopener" in a.get_attribute("rel").split()
                    assert a.get_attribute("href").startswith("http://127.0.0.1:8000/")
                # Styled inline: the list has no bullets and the heading has its accent border.
                style = driver.execute_script(
                    "return getComputedStyle(document.querySelector('ul')).listStyleType")
                assert style == "none"
                assert driver.find_element(By.CSS_SELECTOR, "li .meta").text.startswith("Pemkab Cilacap · ")
            finally:
                driver.switch_to.default_content()
            errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"
                      and "favicon" not in e["message"]]
            assert errors == [], errors
        # Opened on its own (no sandbox): no script, no cookie.
        driver.get(hub + "/widget/wilayah/33/")
        assert driver.execute_script("return document.scripts.length") == 0
        assert driver.execute_script("return document.cookie") == ""
        assert "Pemkab Cilacap Salurkan Bantuan Korban Banjir di Kroya" in driver.page_source
