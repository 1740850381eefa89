"""The archive's schema: one statement for a new file, numbered steps for an old one, same result."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from warta.archive.migrations import MIGRATIONS, split_sql
from warta.archive.schema import SCHEMA
from warta.archive.store import Archive


def shape(conn: sqlite3.Connection) -> dict[str, object]:
    """Everything SQLite says about each table and index, except the SQL's spelling."""
    out: dict[str, object] = {}
    for (name, kind, sql) in conn.execute(
            "SELECT name, type, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"):
        if kind == "table":
            out[name] = {
                "columns": sorted(tuple(r) for r in conn.execute(f"PRAGMA table_xinfo({name})")),
                "foreign_keys": sorted(tuple(r) for r in conn.execute(f"PRAGMA foreign_key_list({name})")),
                "indexes": sorted((r[1], r[2], r[3]) for r in conn.execute(f"PRAGMA index_list({name})")
                                  if not r[1].startswith("sqlite_autoindex")),
                "unique": sorted(
                    tuple(c[2] for c in conn.execute(f"PRAGMA index_info({r[1]})"))
                    for r in conn.execute(f"PRAGMA index_list({name})") if r[2]),
                "without_rowid": "WITHOUT ROWID" in sql.upper(),
            }
        else:
            out[name] = sorted(tuple(r) for r in conn.execute(f"PRAGMA index_xinfo({name})"))
    return out


def migrated(path: Path, upto: int) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    for number, script in enumerate(MIGRATIONS[:upto], start=1):
        for statement in split_sql(script):
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version={number}")
    conn.commit()
    return conn


def test_a_new_archive_and_a_migrated_one_have_the_same_schema(tmp_path: Path) -> None:
    stepped = migrated(tmp_path / "stepped.sqlite", len(MIGRATIONS))
    fresh = sqlite3.connect(tmp_path / "fresh.sqlite")
    for statement in split_sql(SCHEMA):
        fresh.execute(statement)
    assert shape(fresh) == shape(stepped)
    assert shape(fresh)  # not two empty files


def test_opening_a_new_file_uses_the_schema_and_records_the_newest_version(tmp_path: Path) -> None:
    with Archive(tmp_path / "new.sqlite") as archive:
        assert archive.schema_version == len(MIGRATIONS)
        made = shape(archive.conn)
    reference = migrated(tmp_path / "ref.sqlite", len(MIGRATIONS))
    assert made == shape(reference)


def test_an_old_archive_is_migrated_step_by_step_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    old = migrated(path, 1)
    old.execute("INSERT INTO sources (id, consecutive_failures) VALUES ('pemkab-contoh', 2)")
    old.commit()
    old.close()
    with Archive(path) as archive:
        assert archive.schema_version == len(MIGRATIONS)
        row = archive.conn.execute("SELECT consecutive_failures FROM sources WHERE id = 'pemkab-contoh'")
        assert row.fetchone()[0] == 2
        assert shape(archive.conn) == shape(migrated(tmp_path / "ref.sqlite", len(MIGRATIONS)))


def test_a_build_reads_every_row_from_the_covering_index(tmp_path: Path) -> None:
    """``items(bodies=False)`` (what every build reads) never touches the table's pages, where
    the bodies are: at 1,000,000 reports that is gigabytes read from the disk every hour."""
    statements: list[str] = []
    with Archive(tmp_path / "a.sqlite") as archive:
        archive.conn.set_trace_callback(statements.append)
        assert list(archive.items(bodies=False)) == []
        archive.conn.set_trace_callback(None)
        (sql,) = [s for s in statements if s.lstrip().upper().startswith("SELECT")
                  and "FROM items" in s]
        plan = " | ".join(row[-1] for row in archive.conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
    assert "COVERING INDEX items_listing" in plan, plan
    assert "TEMP B-TREE" not in plan, plan
