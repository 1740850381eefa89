"""The shipped registries and the offline demo: valid, diverse, and buildable.

Counts are computed from the files, so adding a source or an item never needs
a test edit — but dropping below what the demo must show (several provinces,
all three time zones, national bodies, a broken feed, shared events) fails.
"""

from __future__ import annotations

import json
import logging
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from warta.ingest.run import RunReport
from warta.ops import cli
from warta.sources import regions
from warta.sources.registry import load_registry

from tests.support.demo import make_feeds, materialise

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


def test_demo_feeds_are_generated_from_their_texts() -> None:
    """demo/feeds/*.xml must match demo/feeds_src/ (edit the texts, then regenerate)."""
    module = make_feeds()
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


@dataclass(frozen=True)
class DemoHub:
    """The demo as ``invoke demo`` builds it: materialised for the day, fetched, built."""

    work: Path
    registry: Path
    now: datetime
    report: RunReport
    out: Path
    logged: list[str]
    """Every WARNING (or worse) logged while fetching and building."""


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname} {record.name}: {record.getMessage()}")


@pytest.fixture(scope="module")
def demo_hub(tmp_path_factory: pytest.TempPathFactory) -> DemoHub:
    work = tmp_path_factory.mktemp("demo")
    now = datetime.now(UTC)
    registry = materialise(work / "var" / "demo", now)
    db = work / "var" / "demo.sqlite"
    records = _Records()
    logging.getLogger().addHandler(records)
    try:
        report = cli.fetch(registry, db, quiet=True, run_log=None)
        out = cli.build(sources_dir=registry, db=db, output=work / "output",
                        overrides={"WARTA_BUILD_TIME": now.isoformat()}, search=True)
    finally:
        logging.getLogger().removeHandler(records)
    return DemoHub(work, registry, now, report, out, records.lines)


def test_a_demo_build_logs_no_warning(demo_hub: DemoHub) -> None:
    """No "Docutils has no localization for 'id'" or any other noise on a normal build."""
    assert demo_hub.logged == []


def test_demo_builds_offline_with_every_zone_and_a_failing_source(demo_hub: DemoHub) -> None:
    report, out = demo_hub.report, demo_hub.out
    sources, _ = load_registry(demo_hub.registry)
    assert report.count("error") == 1
    assert report.count("ok") == len(sources) - 1
    assert report.items_new >= 100

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
        # Summary-mode sources carry content_text (their summary), never the body.
        html = (it.get("content_html") or it["content_text"]).lower()
        for bad in ("<script", "onerror", "javascript:", "<iframe", "<style"):
            assert bad not in html, (it["_warta"]["source"], it["title"], bad)

    health = json.loads((out / "api" / "v1" / "sources.json").read_text(encoding="utf-8"))
    status = {s["id"]: s["status"] for s in health["sources"]}
    # Every working source is fresh on the day the demo is built (not "stale").
    assert status == {sid: "error" if sid == "pemkab-banyumas" else "ok" for sid in by_id}
    broken = next(s for s in health["sources"] if s["id"] == "pemkab-banyumas")
    assert broken["last_error"] == ("../feeds/pemkab-banyumas.xml mengembalikan halaman HTML, "
                                    "bukan feed RSS/Atom")
    assert broken["methods"][0]["url"] == "file:../feeds/pemkab-banyumas.xml"
    status_page = (out / "status" / "index.html").read_text(encoding="utf-8")
    assert "<code>file:../feeds/pemkab-banyumas.xml</code>" in status_page


def test_no_machine_path_in_the_public_output(demo_hub: DemoHub) -> None:
    """Where the repository, the registry and the archive lie on this machine is nobody's business."""
    assert len(list(demo_hub.out.rglob("*.html"))) > 200
    assert machine_paths(demo_hub.out, ROOT, demo_hub.work) == []


def test_the_demo_is_alive_on_the_day_it_is_built(demo_hub: DemoHub) -> None:
    home = (demo_hub.out / "index.html").read_text(encoding="utf-8")
    block = home.split('<section class="sorotan"', 1)[1].split("</section>", 1)[0]
    assert '<h2 id="judul-sorotan">Sorotan hari ini</h2>' in block
    assert 'class="sejak"' not in block
    assert block.count('<li class="kartu') == 5
    # Highlights are today's stories: the cards show each story's lead report (the story rule
    # picks the senior office's or the first one, which may be a day or two older).
    stamps = [datetime.fromisoformat(t) for t in re.findall(r'<time datetime="([^"]+)"', block)]
    assert len(stamps) == 5
    assert all(t <= demo_hub.now for t in stamps)
    assert demo_hub.now - max(stamps) <= timedelta(hours=24)
    assert demo_hub.now - min(stamps) <= timedelta(days=4)
    health = json.loads((demo_hub.out / "api" / "v1" / "sources.json").read_text(encoding="utf-8"))
    ages = {s["id"]: s["newest_item_age_hours"] for s in health["sources"]}
    assert max(a for sid, a in ages.items() if sid != "pemkab-banyumas") < 4 * 24
    assert sum(1 for a in ages.values() if a is not None and a < 24) >= 10


def machine_paths(output: Path, *folders: Path) -> list[str]:
    """Files under ``output`` naming one of ``folders`` by its absolute path (text or URI)."""
    needles = [n.encode() for f in folders for n in (str(f.resolve()), f.resolve().as_uri())]
    return sorted(str(p.relative_to(output)) for p in output.rglob("*") if p.is_file()
                  and any(n in p.read_bytes() for n in needles))


_HARI = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
_BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember")
_NAMED_DAY = re.compile(rf"\b({'|'.join(_HARI)}),? (?:\((\d+)/(\d+)\)|(\d+) ({'|'.join(_BULAN)}) (\d{{4}}))")


@pytest.mark.parametrize("now", [
    datetime(2027, 3, 10, 3, 0, tzinfo=UTC),  # 10.00 WIB: the morning's reports are out
    datetime(2026, 12, 31, 16, 30, tzinfo=UTC),  # 23.30 WIB, already 1 January in Papua (WIT)
    datetime(2026, 11, 23, 23, 0, tzinfo=UTC),  # 06.00 WIB on the texts' own newest day
], ids=["pagi", "malam-tahun-baru", "subuh-tanpa-geser"])
def test_the_materialised_demo_moves_every_date_by_whole_days(tmp_path: Path, now: datetime) -> None:
    """Reports keep their local clock time, zone, order and gaps; what is not out yet is left out."""
    from warta.clean.dates import parse_date
    from warta.ingest.parse import FeedParseError, parse_feed

    days = make_feeds().shift_for(now).days
    registry = materialise(tmp_path, now)
    sources, errors = load_registry(registry)
    assert errors == [] and len(sources) == len(load_registry(DEMO)[0])
    seen = withheld = 0
    for source in sources:
        name = source.feeds[0].url.rsplit("/", 1)[1]
        try:
            anchored = parse_feed((ROOT / "demo" / "feeds" / name).read_bytes(), {}, None)
            moved = parse_feed((tmp_path / "feeds" / name).read_bytes(), {}, None)
        except FeedParseError:
            assert source.id == "pemkab-banyumas"  # broken on purpose, in both
            continue
        by_key = {e.guid or e.link: e for e in moved.entries}
        for entry in anchored.entries:
            when = parse_date(entry.published_raw, source.tz, reference=now)
            assert when is not None
            if when.year == 1970:  # the epoch date a broken CMS writes stays what it is
                continue
            expected = when + timedelta(days=days)
            twin = by_key.get(entry.guid or entry.link)
            if expected > now:
                assert twin is None, (source.id, entry.title)
                withheld += 1
                continue
            assert twin is not None, (source.id, entry.title)
            got = parse_date(twin.published_raw, source.tz, reference=now)
            assert got == expected and got.utcoffset() == when.utcoffset(), (source.id, entry.title)
            seen += 1
            # A weekday named with a date is that date's weekday, in the moved text too.
            for text in (twin.title, twin.content_html, twin.summary_html):
                for m in _NAMED_DAY.finditer(text):
                    if m[2]:
                        day = min((datetime(y, int(m[3]), int(m[2])) for y in (now.year - 1, now.year,
                                   now.year + 1)), key=lambda d: abs(d - now.replace(tzinfo=None)))
                    else:
                        day = datetime(int(m[6]), _BULAN.index(m[5]) + 1, int(m[4]))
                    assert _HARI[day.weekday()] == m[1], (source.id, m[0])
    assert seen >= 100
    if now.astimezone(make_feeds().WIB).hour < 7:
        assert withheld >= 15  # nothing of the newest day is out before 07.30 WIB


def test_dates_in_the_texts_move_with_the_reports_and_history_stays() -> None:
    shift = make_feeds().Shift(13)  # Tuesday 24 November 2026 → Monday 7 December 2026
    assert (shift.text("di Kroya, Rabu (18/11). Hingga Rabu siang")
            == "di Kroya, Selasa (1/12). Hingga Selasa siang")
    assert shift.text("Sub-PIN 16–29 November 2026") == "Sub-PIN 29 November–12 Desember 2026"
    assert shift.text("Kamis, 19 November 2026 10:00 WIB") == "Rabu, 2 Desember 2026 10:00 WIB"
    assert shift.text("hingga 31 Desember 2026") == "hingga 13 Januari 2027"
    assert shift.text("Hari Pahlawan 10 November 1945") == "Hari Pahlawan 10 November 1945"
    assert shift.text("car free day setiap Minggu pukul 06.00") == "car free day setiap Minggu pukul 06.00"
    assert shift.raw_date("2026-11-17 10:00:00") == "2026-11-30 10:00:00"
    assert make_feeds().Shift(0).text("Rabu (18/11)") == "Rabu (18/11)"
