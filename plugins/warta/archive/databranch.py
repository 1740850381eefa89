"""Keeps the archive alive between hourly runs on throw-away CI runners.

Mechanism (documented in docs/operations.md): a dedicated branch
(``data`` by default) of the site's own repository is the source of truth.
After each run a consistent snapshot of the SQLite archive (``VACUUM INTO``,
so WAL contents are included and free pages dropped) is gzipped, split into
parts below GitHub's 100 MB file limit, and committed *without history*
(each commit is an orphan, so the repository does not grow by a snapshot an
hour) together with the last published manifest and the tail of the run
log. The push uses ``--force-with-lease`` against the commit that was
restored, so two runs can never overwrite each other's archive.

At the start of a run the branch is restored into ``var/``. ``actions/cache``
is only a speed-up: ``var/.data-commit`` records which branch commit the
local files came from, and when it matches the branch head nothing is
downloaded. Everything is plain git plumbing run in the checkout, so the
runner's credentials (set by actions/checkout) apply and the work tree is
never touched.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

SNAPSHOT = "warta.sqlite.gz"
PART_SIZE = 90 * 1024 * 1024
"""Bytes per part file: below GitHub's hard 100 MB per-file limit."""
STATE = "state.json"
MANIFEST = "published-manifest.json"
RUNS = "runs.jsonl"
RUNS_KEPT = 5000
COMMIT_MARKER = ".data-commit"


class DataStoreError(RuntimeError):
    """The data branch could not be read or written (message for operators)."""


@dataclass(frozen=True, slots=True)
class RestoreResult:
    status: str  # restored | cached | absent
    commit: str | None
    items: int | None = None

    def to_json(self) -> dict[str, object]:
        return {"status": self.status, "commit": self.commit, "items": self.items}


@dataclass(frozen=True, slots=True)
class SaveResult:
    commit: str
    items: int
    bytes: int


def _git(repo: Path, *args: str, check: bool = True, env: dict[str, str] | None = None,
         stdout: object = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(["git", *args], cwd=repo, env=env, stdout=stdout,  # type: ignore[arg-type]
                          stderr=subprocess.PIPE, text=True)
    if check and proc.returncode != 0:
        raise DataStoreError(f"git {' '.join(args[:2])}: {proc.stderr.strip() or proc.returncode}")
    return proc


def item_count(db: Path) -> int:
    """Items in an archive file; 0 when it is missing or has no items table."""
    if not db.is_file():
        return 0
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT COUNT(*) FROM items").fetchone()[0])
    except sqlite3.DatabaseError:
        return 0
    finally:
        conn.close()


class DataStore:
    """The ``data`` branch of ``remote`` as seen from the checkout at ``repo``."""

    def __init__(self, repo: Path | str, var_dir: Path | str, *, remote: str = "origin",
                 branch: str = "data", db_name: str = "warta.sqlite"):
        self.repo = Path(repo)
        self.var = Path(var_dir)
        self.remote = remote
        self.branch = branch
        self.db = self.var / db_name
        self.ref = f"refs/heads/{branch}"

    # -- restore -------------------------------------------------------------------

    def remote_head(self) -> str | None:
        """Commit of the data branch, None when it does not exist; raises when unreachable."""
        proc = _git(self.repo, "ls-remote", "--exit-code", self.remote, self.ref, check=False)
        if proc.returncode == 2:
            return None
        if proc.returncode != 0:
            raise DataStoreError(f"{self.remote} tidak dapat dihubungi: {proc.stderr.strip()}")
        return proc.stdout.split()[0]

    def local_commit(self) -> str | None:
        marker = self.var / COMMIT_MARKER
        return marker.read_text().strip() or None if marker.is_file() else None

    def restore(self) -> RestoreResult:
        head = self.remote_head()
        if head is None:
            return RestoreResult("absent", None, item_count(self.db) if self.db.exists() else None)
        if self.local_commit() == head and self.db.is_file():
            return RestoreResult("cached", head, item_count(self.db))
        _git(self.repo, "fetch", "--quiet", "--depth", "1", self.remote,
             f"+{self.ref}:refs/warta/{self.branch}")
        names = _git(self.repo, "ls-tree", "--name-only", head).stdout.split()
        self.var.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=self.var, prefix=".restore-") as tmp:
            tmpdir = Path(tmp)
            for name in names:
                with (tmpdir / name).open("wb") as fh:
                    proc = subprocess.run(["git", "cat-file", "blob", f"{head}:{name}"],
                                          cwd=self.repo, stdout=fh, stderr=subprocess.PIPE)
                if proc.returncode != 0:
                    raise DataStoreError(f"git cat-file {name}: {proc.stderr.decode().strip()}")
            parts = [SNAPSHOT] if SNAPSHOT in names else sorted(
                n for n in names if n.startswith(SNAPSHOT + "."))
            items = None
            if parts:
                restored = self._gunzip_parts(tmpdir, parts)
                self._check_integrity(restored)
                items = item_count(restored)
                state = self._state(tmpdir)
                if state.get("sha256") and state["sha256"] != _sha256(restored):
                    raise DataStoreError("snapshot arsip rusak (sha256 tidak cocok)")
                for suffix in ("-wal", "-shm"):
                    Path(str(self.db) + suffix).unlink(missing_ok=True)
                os.replace(restored, self.db)
            for name in (MANIFEST, STATE):
                if (tmpdir / name).is_file():
                    os.replace(tmpdir / name, self.var / name)
            if (tmpdir / RUNS).is_file() and not (self.var / RUNS).is_file():
                os.replace(tmpdir / RUNS, self.var / RUNS)
        (self.var / COMMIT_MARKER).write_text(head + "\n")
        return RestoreResult("restored", head, items)

    @staticmethod
    def _gunzip_parts(tmpdir: Path, parts: list[str]) -> Path:
        joined = tmpdir / parts[0]
        if len(parts) > 1:
            joined = tmpdir / "joined.gz"
            with joined.open("wb") as out:
                for part in parts:
                    with (tmpdir / part).open("rb") as fh:
                        shutil.copyfileobj(fh, out, 1 << 20)
        restored = tmpdir / "warta.sqlite"
        with gzip.open(joined, "rb") as fh, restored.open("wb") as out:
            shutil.copyfileobj(fh, out, 1 << 20)
        return restored

    @staticmethod
    def _state(tmpdir: Path) -> dict[str, object]:
        try:
            return json.loads((tmpdir / STATE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    @staticmethod
    def _check_integrity(db: Path) -> None:
        conn = sqlite3.connect(db)
        try:
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise DataStoreError(f"snapshot arsip tidak dapat dibuka: {exc}") from exc
        finally:
            conn.close()
        if result != "ok":
            raise DataStoreError(f"snapshot arsip rusak: {result}")

    # -- save ----------------------------------------------------------------------

    def save(self, *, expected: str | None, message: str = "Warta: arsip per jam",
             now: datetime | None = None, min_items: int = 0,
             log_tail: Sequence[dict[str, Any]] = ()) -> SaveResult:
        """Snapshot ``var/`` into a new orphan commit and push it with a lease on ``expected``.

        ``log_tail`` are run-log records not yet in ``var/runs.jsonl`` (the current run's,
        written locally only once the save is done) so the branch copy is never a run behind.
        """
        if not self.db.is_file():
            raise DataStoreError(f"arsip {self.db} tidak ada; tidak ada yang disimpan")
        with tempfile.TemporaryDirectory(dir=self.var, prefix=".save-") as tmp:
            tmpdir = Path(tmp)
            snap = tmpdir / "snapshot.sqlite"
            conn = sqlite3.connect(self.db)
            try:
                conn.execute("VACUUM INTO ?", (str(snap),))
            finally:
                conn.close()
            items = item_count(snap)
            if items < min_items:
                raise DataStoreError(
                    f"snapshot berisi {items} berita, lebih sedikit dari {min_items} yang dipulihkan; "
                    "tidak disimpan agar arsip lama tidak tertimpa")
            files: dict[str, Path] = {}
            gz = tmpdir / SNAPSHOT
            with snap.open("rb") as src, gzip.open(gz, "wb", compresslevel=6) as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
            size = gz.stat().st_size
            if size <= PART_SIZE:
                files[SNAPSHOT] = gz
            else:
                with gz.open("rb") as fh:
                    for index in range(0, size, PART_SIZE):
                        part = tmpdir / f"{SNAPSHOT}.{index // PART_SIZE:03d}"
                        part.write_bytes(fh.read(PART_SIZE))
                        files[part.name] = part
            state = {"saved": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
                     "items": items, "sha256": _sha256(snap), "bytes": size}
            (tmpdir / STATE).write_text(json.dumps(state), encoding="utf-8")
            files[STATE] = tmpdir / STATE
            if (self.var / MANIFEST).is_file():
                files[MANIFEST] = self.var / MANIFEST
            lines = (self.var / RUNS).read_text(encoding="utf-8").splitlines() \
                if (self.var / RUNS).is_file() else []
            lines += [json.dumps(r, ensure_ascii=False) for r in log_tail]
            if lines:
                (tmpdir / RUNS).write_text("\n".join(lines[-RUNS_KEPT:]) + "\n", encoding="utf-8")
                files[RUNS] = tmpdir / RUNS
            commit = self._commit(files, message)
        lease = f"--force-with-lease={self.ref}:{expected or ''}"
        _git(self.repo, "push", "--quiet", lease, self.remote, f"{commit}:{self.ref}")
        (self.var / COMMIT_MARKER).write_text(commit + "\n")
        (self.var / STATE).write_text(json.dumps(state), encoding="utf-8")
        return SaveResult(commit, items, size)

    def _commit(self, files: dict[str, Path], message: str) -> str:
        entries = []
        for name, path in sorted(files.items()):
            blob = _git(self.repo, "hash-object", "-w", "--", str(path.resolve())).stdout.strip()
            entries.append(f"100644 blob {blob}\t{name}")
        tree = subprocess.run(["git", "mktree"], cwd=self.repo, input="\n".join(entries) + "\n",
                              capture_output=True, text=True, check=True).stdout.strip()
        env = dict(os.environ)
        for role in ("AUTHOR", "COMMITTER"):
            env.setdefault(f"GIT_{role}_NAME", "Warta")
            env.setdefault(f"GIT_{role}_EMAIL", "warta@localhost")
        return _git(self.repo, "commit-tree", tree, "-m", message, env=env).stdout.strip()


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
