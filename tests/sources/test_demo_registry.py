"""The shipped registries and the offline demo: valid, diverse, and buildable.

Counts are computed from the files, so adding a source or an item never needs
a test edit — but dropping below what the demo must show (several provinces,
all three time zones, national bodies, a broken feed, shared events) fails.
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml
from warta.ops import cli
from warta.sources import regions
from warta.sources.registry import load_registry

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "demo" / "sources"
REAL = ROOT / "sources"


def _coverage(sources) -> tuple[set[str], set[str], int]:
    provinces = {s.region.split(".")[0] for s in sources if s.region}
    zones = {regions.zone_abbr(p) for p in provinces}
    national = sum(1 for s in sources if s.region is None)
    return provinces, zones, national


@pytest.mark.parametrize("root", [DEMO, REAL], ids=["demo", "sources"])
def test_registry_validates_without_errors(root: Path) -> None:
    sources, errors = load_registry(root)
    assert errors == [], "\n".join(map(str, errors))
    assert sources
    # The folder groups files by province for humans; it must not lie.
    for s in sources:
        assert s.path is not None
        expected = s.region.split(".")[0] if s.region else "nasional"
        assert s.path.parent.name == expected, f"{s.path} belongs in {expected}/"


@pytest.mark.parametrize("root", [DEMO, REAL], ids=["demo", "sources"])
def test_registry_spans_provinces_zones_and_national(root: Path) -> None:
    sources, _ = load_registry(root)
    provinces, zones, national = _coverage(sources)
    assert len(provinces) >= 5
    # The starter registry has no known Papua/Maluku feed yet; the demo must show all three.
    wanted = {"WIB", "WITA", "WIT"} if root == DEMO else {"WIB", "WITA"}
    assert zones >= wanted
    assert national >= 2


def test_demo_registry_has_every_kind_the_demo_promises() -> None:
    sources, _ = load_registry(DEMO)
    kinds = {s.kind for s in sources}
    assert {"pemprov", "pemkab", "pemkot", "kementerian", "bumn", "bumd"} <= kinds
    assert kinds & {"instansi-vertikal", "tni-polri"}
    assert any(s.mode == "summary" for s in sources)
    for s in sources:
        assert all(f.url.startswith("file:../feeds/") for f in s.feeds), s.id
        assert (DEMO / s.feeds[0].url[len("file:"):]).resolve().is_file(), s.id


def _make_feeds():
    spec = importlib.util.spec_from_file_location("make_feeds", ROOT / "demo" / "make_feeds.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_demo_feeds_are_generated_from_their_texts() -> None:
    """demo/feeds/*.xml must match demo/feeds_src/ (edit the texts, then regenerate)."""
    module = _make_feeds()
    rendered = module.render_all()
    committed = {p.name for p in (ROOT / "demo" / "feeds").iterdir()}
    assert set(rendered) == committed
    assert module.main(["--check"]) == 0


def test_demo_has_multi_source_events() -> None:
    """Shared press-release paragraphs are reused by several offices (story grouping)."""
    src = ROOT / "demo" / "feeds_src"
    users: dict[str, set[str]] = defaultdict(set)
    for path in src.glob("*.yml"):
        if path.name.startswith("_"):
            continue
        for event in re.findall(r"^\s*@(\w+)\.\d+\s*$", path.read_text(encoding="utf-8"), re.M):
            users[event].add(path.stem)
    shared = yaml.safe_load((src / "_shared.yml").read_text(encoding="utf-8"))
    assert set(users) <= set(shared)
    multi = [e for e, who in users.items() if len(who) >= 2]
    assert len(multi) >= 8, users


def test_local_articles_name_sources_in_both_registries() -> None:
    demo_ids = {s.id for s in load_registry(DEMO)[0]}
    real_ids = {s.id for s in load_registry(REAL)[0]}
    # content/pages/ holds static pages (about, join), not articles.
    articles = sorted(p for p in (ROOT / "content").rglob("*.md")
                      if "pages" not in p.relative_to(ROOT / "content").parts)
    assert len(articles) >= 3
    for path in articles:
        head = path.read_text(encoding="utf-8").split("\n\n", 1)[0]
        meta = dict(line.split(":", 1) for line in head.splitlines() if ":" in line)
        source = meta["Source"].strip()
        assert source in demo_ids and source in real_ids, path
        # content/<province-code>/<source-id>/<yyyy>/<slug>.md
        rel = path.relative_to(ROOT / "content").parts
        assert rel[1] == source and rel[2] == meta["Date"].strip()[:4], path


def test_demo_builds_offline_with_every_zone_and_a_failing_source(tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite"
    report = cli.fetch(DEMO, db, quiet=True, run_log=None)
    sources, _ = load_registry(DEMO)
    assert report.count("error") == 1
    assert report.count("ok") == len(sources) - 1
    assert report.items_new >= 100

    out = cli.build(sources_dir=DEMO, db=db, output=tmp_path / "output")
    feed = json.loads((out / "api" / "v1" / "latest.json").read_text(encoding="utf-8"))
    items = feed["items"]
    by_id = {s.id: s for s in sources}
    regions_seen = [it["_warta"]["region"] for it in items]
    provinces = {r.split(".")[0] for r in regions_seen if r and r != regions.NATIONAL}
    assert len(provinces) >= 5
    assert {regions.zone_abbr(p) for p in provinces} == {"WIB", "WITA", "WIT"}
    assert regions.NATIONAL in regions_seen, "no national items"
    assert {it["_warta"]["source"] for it in items} == set(by_id) - {"pemkab-banyumas"}
    # Local Markdown articles are published next to aggregated ones.
    assert sum(1 for it in items if "external_url" not in it or not it["external_url"]) >= 3
    # Hostile markup in the sample feeds never reaches the hub.
    for it in items:
        # Summary-mode sources carry content_text (their summary), never the body (issue 9).
        html = (it.get("content_html") or it["content_text"]).lower()
        for bad in ("<script", "onerror", "javascript:", "<iframe", "<style"):
            assert bad not in html, (it["_warta"]["source"], it["title"], bad)

    health = json.loads((out / "api" / "v1" / "sources.json").read_text(encoding="utf-8"))
    status = {s["id"]: s["status"] for s in (health["sources"] if isinstance(health, dict) else health)}
    assert status["pemkab-banyumas"] == "error"
    assert all(v == "ok" for k, v in status.items() if k != "pemkab-banyumas")
