"""Robustness: every feed of feedparser's own test corpus through fetch → archive → build.

The corpus (2,106 files: ill-formed XML, odd encodings, entities, every RSS/Atom
dialect) lives in ``../shared`` next to the repository; CI has it, clones
elsewhere skip. Each file becomes a ``file://`` source. The run must not crash,
every feed must end up either archived or reported in health, and the site
must build.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from warta.ingest.fetch import FetchPolicy
from warta.ops import cli

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpora" / "feedparser-tests" / "tests"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared feedparser corpus not present"),
]


def test_feedparser_corpus_end_to_end(tmp_path: Path) -> None:
    files = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".xml", ".json"))
    assert len(files) >= 2000
    reg = tmp_path / "reg"
    reg.mkdir()
    for i, path in enumerate(files):
        sid = f"korpus-{i:04d}"
        (reg / f"{sid}.yml").write_text(
            f"id: {sid}\nname: Korpus {i}\nkind: lainnya\nregion: \"33\"\n"
            f"homepage: https://contoh.go.id\nfeeds:\n  - {path.as_uri()}\n",
            encoding="utf-8",
        )
    db = tmp_path / "korpus.sqlite"
    report = cli.fetch(reg, db, quiet=True, run_log=None,
                       policy=FetchPolicy(total_timeout=20))
    assert len(report.sources) == len(files)
    statuses = {s.source_id: s for s in report.sources}
    conn = sqlite3.connect(db)
    health = {r[0]: (r[1], r[2], r[3]) for r in conn.execute(
        "SELECT id, last_status, error_class, error_message FROM sources")}
    assert set(health) == set(statuses)
    internal = [sid for sid, (_, cls, _) in health.items() if cls == "internal"]
    assert internal == []  # no crash was swallowed as an internal error
    failed = [sid for sid, (status, _, _) in health.items() if status == "error"]
    for sid in failed:
        _, cls, message = health[sid]
        assert cls in {"invalid_feed", "not_a_feed", "too_large", "file"} and message
    items = conn.execute("SELECT COUNT(*) FROM items").fetchone()[0]
    conn.close()
    assert items > 1000
    empty = tmp_path / "content"
    empty.mkdir()
    out = cli.build(sources_dir=reg, db=db, output=tmp_path / "out",
                    overrides={"PATH": str(empty)})
    latest = json.loads((out / "api/v1/latest.json").read_text())
    assert len(latest["items"]) == min(500, items)
    for item in latest["items"]:
        assert "<script" not in item["content_html"].lower()
        assert re.search(r"<[a-z/][^>]*>", item["title"], re.IGNORECASE) is None  # plain text
    print(f"korpus: {len(files)} feed, {len(failed)} gagal dan tercatat, {items} item diarsipkan")
