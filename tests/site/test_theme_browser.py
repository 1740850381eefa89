"""What a reader sees, in a real headless Chromium: reflow, skip link, axe-core audit, screenshots.

Screenshots of home, region and article pages at 360 px and 1280 px go to
``$WARTA_SCREENSHOTS`` when set (e.g. ``var/screenshots``), else to the
session's tmp folder; their paths are printed for review (``pytest -s``).
axe-core is installed by ``scripts/test.sh`` (``npm install`` into a cache
folder outside the repository); ``WARTA_AXE_JS`` may point at another copy.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.site import article_path
from tests.support.tools import require

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = "/usr/bin/chromedriver"
AXE_DEFAULT = Path.home() / ".cache/warta/axe/node_modules/axe-core/axe.min.js"


def _axe_js() -> str:
    path = Path(os.environ.get("WARTA_AXE_JS") or AXE_DEFAULT)
    if not path.is_file():
        pytest.fail(f"axe-core tidak ditemukan di {path}: jalankan scripts/test.sh "
                    "(npm install axe-core ke ~/.cache/warta/axe) atau set WARTA_AXE_JS")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def site_url(built_site) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(built_site.output))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


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
                "--no-first-run", f"--user-data-dir={profile}", "--hide-scrollbars",
                "--force-device-scale-factor=1"):
        opts.add_argument(arg)
    drv = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    try:
        yield drv
    finally:
        drv.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _pages(built_site) -> dict[str, str]:
    art = article_path(built_site.output, built_site.ids["uji-pemkab-cilacap/banjir"]).relative_to(
        built_site.output)
    return {"beranda": "/", "wilayah": "/wilayah/33/", "kabupaten": "/wilayah/33.01/",
            "berita": "/" + str(art.parent) + "/"}


def _set_width(driver, width: int) -> None:
    # Size the viewport (not the window) so "360 px" means what a phone's CSS sees.
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": False})


@pytest.fixture(scope="module")
def screenshot_dir(tmp_path_factory) -> Path:
    path = Path(os.environ.get("WARTA_SCREENSHOTS") or tmp_path_factory.mktemp("layar"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.mark.parametrize("width", [360, 1280])
def test_screenshots(driver, site_url, built_site, screenshot_dir, width):
    _set_width(driver, width)
    for name, path in _pages(built_site).items():
        driver.get(site_url + path)
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": min(int(height), 6000),
                                "deviceScaleFactor": 1, "mobile": False})
        shot = screenshot_dir / f"{name}-{width}.png"
        assert driver.save_screenshot(str(shot))
        assert shot.stat().st_size > 5000
        print(f"tangkapan layar: {shot}")
        _set_width(driver, width)


def test_no_horizontal_scroll_at_320px(driver, site_url, built_site):
    _set_width(driver, 320)
    for path in [*_pages(built_site).values(), "/sumber/", "/wilayah/", "/bergabung/",
                 "/sumber/uji-pemkab-cilacap/"]:
        driver.get(site_url + path)
        overflow = driver.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} melebar {overflow}px pada 320px"


@pytest.mark.parametrize("width", [360, 700, 1000, 1280])
def test_highlights_leave_no_empty_hole_beside_a_card(driver, site_url, built_site, width):
    """Every row of "Sorotan" is filled edge to edge, however many cards the last row has."""
    _set_width(driver, width)
    driver.get(site_url + "/")
    rows = driver.execute_script("""
        const list = document.querySelector('.sorotan ul');
        const box = list.getBoundingClientRect();
        const rows = {};
        for (const li of list.children) {
          const r = li.getBoundingClientRect();
          (rows[Math.round(r.top)] ||= []).push([r.left - box.left, box.right - r.right, r.width]);
        }
        return {width: box.width, rows: Object.values(rows)};""")
    cards = sum(len(r) for r in rows["rows"])
    assert cards == 5
    for row in rows["rows"]:
        first_left, last_right = row[0][0], row[-1][1]
        assert abs(first_left) <= 1 and abs(last_right) <= 1, (width, rows)
    if width >= 1000:  # room for several cards a row: the lead story is the widest card
        widths = [w for row in rows["rows"] for _, _, w in row]
        assert len(rows["rows"]) >= 2 and widths[0] == max(widths[:len(rows["rows"][0])])


def test_skip_link_moves_focus_to_main(driver, site_url, built_site):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    _set_width(driver, 360)
    driver.get(site_url + _pages(built_site)["berita"])
    ActionChains(driver).send_keys(Keys.TAB).perform()
    active = driver.switch_to.active_element
    assert active.get_attribute("class") == "skip"
    assert active.text == "Langsung ke isi"
    # Focused, the link is visible on screen (not parked off-canvas).
    rect = driver.execute_script("return arguments[0].getBoundingClientRect().toJSON()", active)
    assert rect["top"] >= 0 and rect["left"] >= 0 and rect["height"] > 10
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    assert driver.execute_script("return document.activeElement.id") == "isi"
    ActionChains(driver).send_keys(Keys.TAB).perform()
    # The next Tab lands inside the main content, not back in the header.
    assert driver.execute_script(
        "return document.getElementById('isi').contains(document.activeElement)")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_no_serious_violations(driver, site_url, built_site, scheme):
    axe = _axe_js()
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia",
                           {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
    try:
        for width in (360, 1280):
            _set_width(driver, width)
            for path in [*_pages(built_site).values(), "/sumber/uji-kemenkes/", "/404.html",
                         "/kategori/klarifikasi-hoaks/"]:
                driver.get(site_url + path)
                driver.execute_script(axe)
                result = driver.execute_async_script(
                    "const done = arguments[arguments.length - 1];"
                    "axe.run(document, {runOnly: {type: 'tag', values: "
                    "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
                    ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, "
                    "nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))))"
                    ".catch(e => done([{id: 'axe-error', impact: 'critical', nodes: [String(e)]}]));")
                bad = [v for v in result if v["impact"] in ("serious", "critical")]
                assert bad == [], (scheme, width, path, bad)
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
