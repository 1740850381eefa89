"""The unattended hourly run: lock → restore → fetch → build → post-process → verify → publish → save.

Every phase is timed and the whole run is written as one JSON line to the run
log (``var/runs.jsonl``, ``"kind": "hourly"``). The rules that keep readers
and the archive safe:

- one run at a time (:mod:`warta.ops.lock`); a second run exits at once with
  :data:`EXIT_BUSY` (0: a skipped hour is normal, not an alarm);
- the archive is restored from the data branch first when one is configured
  (:mod:`warta.archive.databranch`); if it cannot be restored, nothing is published;
- an empty or missing archive while the last published site had pages is an
  accident, not news: refuse (:data:`EXIT_EMPTY_ARCHIVE`) unless
  ``allow_empty`` says this really is a first run;
- only a site that passes :func:`warta.ops.verify.verify_site` is published; on
  any failure the last good site stays online and the exit code says why;
- the archive is saved back after fetching, even when the site was not
  published: new items must not be lost because a template broke.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console

from ..archive import databranch as datastore
from ..core.messages import HOURLY_MESSAGES
from ..core.settings import setting
from ..ingest.fetch import FetchPolicy
from . import cli, postprocess, publish
from .lock import LockBusy, RunLock
from .verify import Manifest, read_manifest, verify_site

EXIT_OK = 0
EXIT_BUSY = 0
"""Another run holds the lock: this one is skipped (documented as success)."""
EXIT_VERIFY_FAILED = 2
EXIT_EMPTY_ARCHIVE = 3
EXIT_RESTORE_FAILED = 4
EXIT_BUILD_FAILED = 5
EXIT_PUBLISH_FAILED = 6
EXIT_SAVE_FAILED = 7

MANIFEST_FILE = datastore.MANIFEST
LOCK_FILE = "hourly.lock"


@dataclass(frozen=True, slots=True)
class HourlyOptions:
    settings_file: str | Path = "publishconf.py"
    sources_dir: str | Path = "sources"
    db: str | Path = "var/warta.sqlite"
    output: str | Path = "output"
    repo: str | Path = "."
    """The git checkout used for the gh-pages and data branches."""
    target: str | None = None
    """Overrides WARTA_PUBLISH_TARGET."""
    data_remote: str | None = None
    """Overrides WARTA_DATA_REMOTE; "" disables the data branch."""
    allow_empty: bool = False
    publish: bool = True
    run_log: str | Path | None = "var/runs.jsonl"
    policy: FetchPolicy | None = None
    quiet: bool = False
    overrides: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class HourlyResult:
    exit_code: int
    published: bool = False
    reason: str | None = None
    record: dict[str, Any] = field(default_factory=dict)


class _Phases:
    """Wall-clock seconds per phase, in the order they ran."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = round(time.perf_counter() - started, 3)


def _abs(path: str | Path) -> Path:
    return cli._abs(path)


def _settings(opts: HourlyOptions) -> dict[str, Any]:
    from pelican.settings import read_settings

    override = {"WARTA_SOURCES": str(_abs(opts.sources_dir)), "WARTA_DB": str(_abs(opts.db)),
                "OUTPUT_PATH": str(_abs(opts.output)), **opts.overrides}
    return read_settings(str(_abs(opts.settings_file)), override=override)


def run_hourly(opts: HourlyOptions, *, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
               ) -> HourlyResult:
    """One hourly run; never raises for an expected failure — the exit code tells."""
    console = Console(stderr=True, quiet=opts.quiet)
    db = _abs(opts.db)
    var = db.parent
    lock = RunLock(var / LOCK_FILE)
    try:
        lock.acquire()
    except LockBusy as busy:
        msg = HOURLY_MESSAGES["busy"].format(holder=busy.holder or "?")
        console.print(f"[yellow]{msg}[/]")
        result = HourlyResult(EXIT_BUSY, reason=msg,
                              record={"kind": "hourly", "started": clock().isoformat(),
                                      "skipped": "busy", "exit_code": EXIT_BUSY})
        _log(opts, result.record)
        return result
    try:
        result = _run_locked(opts, console, db, var, clock)
    finally:
        lock.release()
    _log(opts, result.record)
    return result


def _log(opts: HourlyOptions, record: dict[str, Any]) -> None:
    if not opts.run_log:
        return
    path = _abs(opts.run_log)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(record, ensure_ascii=False) + "\n")


def _run_locked(opts: HourlyOptions, console: Console, db: Path, var: Path,
                clock: Callable[[], datetime]) -> HourlyResult:
    started = clock()
    t0 = time.perf_counter()
    phase = _Phases()
    record: dict[str, Any] = {"kind": "hourly", "started": started.isoformat(timespec="seconds")}
    result = HourlyResult(EXIT_OK, record=record)

    def finish(code: int, reason: str | None = None) -> HourlyResult:
        result.exit_code = code
        result.reason = reason
        if reason:
            console.print(f"[red]✗[/] {reason}", highlight=False)
        record.update(finished=clock().isoformat(timespec="seconds"),
                      duration_s=round(time.perf_counter() - t0, 3), phases=phase.seconds,
                      published=result.published, exit_code=code, reason=reason)
        return result

    settings = _settings(opts)
    repo = _abs(opts.repo)
    target = opts.target or str(setting(settings, "WARTA_PUBLISH_TARGET"))
    remote = setting(settings, "WARTA_DATA_REMOTE") if opts.data_remote is None else opts.data_remote
    record.update(target=target, data_remote=remote or None)
    pub_options = publish.PublishOptions.from_settings(
        settings, message=f"Warta: terbitan {started.isoformat(timespec='minutes')}")

    # 1. Restore the archive (and the last manifest) from the data branch.
    store: datastore.DataStore | None = None
    restored: datastore.RestoreResult | None = None
    if remote:
        store = datastore.DataStore(repo, var, remote=str(remote),
                                    branch=str(setting(settings, "WARTA_DATA_BRANCH")),
                                    db_name=db.name)
        with phase("restore"):
            try:
                restored = store.restore()
            except datastore.DataStoreError as exc:
                return finish(EXIT_RESTORE_FAILED,
                              HOURLY_MESSAGES["restore_failed"].format(detail=exc))
        record["restore"] = restored.to_json()

    # 2. Refuse an archive that went missing.
    items_before = datastore.item_count(db)
    record["items_before"] = items_before
    manifest_path = var / MANIFEST_FILE
    with phase("baseline"):
        baseline = read_manifest(manifest_path)
        if baseline is None:
            try:
                baseline = publish.target_manifest(target, repo=repo, options=pub_options)
            except publish.PublishError as exc:
                # Without a baseline an empty archive could replace the live site: refuse,
                # unless this run publishes nothing or the operator said it is a first run.
                if opts.publish and not opts.allow_empty:
                    return finish(EXIT_RESTORE_FAILED,
                                  HOURLY_MESSAGES["restore_failed"].format(detail=exc))
    record["baseline_pages"] = len(baseline.pages) if baseline else None
    if items_before == 0 and baseline is not None and baseline.pages and not opts.allow_empty:
        return finish(EXIT_EMPTY_ARCHIVE,
                      HOURLY_MESSAGES["empty_archive"].format(pages=len(baseline.pages)))

    # 3. Fetch. One bad source never stops the run (aggregate isolates them).
    with phase("fetch"):
        report = cli.fetch(opts.sources_dir, db, policy=opts.policy, quiet=opts.quiet,
                           run_log=None)
    fetched = report.to_json()
    fetched.pop("sources")
    fetched.pop("started")
    fetched.pop("finished")
    fetched["fetch_duration_s"] = fetched.pop("duration_s")
    record.update(fetched)
    record["failed"] = [{"source": s.source_id, "error_class": s.error_class,
                         "error": s.error_message} for s in report.sources if s.status == "error"]
    record["items_total"] = datastore.item_count(db)

    code, reason = _build_verify_publish(opts, settings, baseline, manifest_path, target,
                                         pub_options, repo, phase, record, result, console)

    # 7. Save the archive back, whatever happened to the site.
    if store is not None:
        with phase("save"):
            try:
                saved = store.save(expected=restored.commit if restored else None,
                                   message=f"Warta: arsip {started.isoformat(timespec='minutes')}",
                                   now=started, min_items=items_before,
                                   log_tail=[{**record, "exit_code": code, "reason": reason,
                                              "published": result.published,
                                              "saved": "pending"}])
                record["saved"] = {"commit": saved.commit, "items": saved.items,
                                   "bytes": saved.bytes}
            except datastore.DataStoreError as exc:
                save_reason = HOURLY_MESSAGES["save_failed"].format(detail=exc)
                if code == EXIT_OK:
                    code, reason = EXIT_SAVE_FAILED, save_reason
                else:
                    console.print(f"[red]✗[/] {save_reason}", highlight=False)
    return finish(code, reason)


def _build_verify_publish(opts: HourlyOptions, settings: dict[str, Any],
                          baseline: Manifest | None, manifest_path: Path, target: str,
                          pub_options: publish.PublishOptions, repo: Path, phase: _Phases,
                          record: dict[str, Any], result: HourlyResult,
                          console: Console) -> tuple[int, str | None]:
    output = _abs(opts.output)
    # 4. Build with the production settings.
    with phase("build"):
        try:
            # Index during the build when the search step is configured (it then finds the
            # bundles current): the second core works while listings and feeds are written.
            early = "warta.search.pagefind:search_step" in (setting(settings, "WARTA_POSTPROCESS") or [])
            cli.build(settings_file=opts.settings_file, sources_dir=opts.sources_dir, db=opts.db,
                      output=output, overrides=opts.overrides, search=early)
        except Exception as exc:  # Pelican raises many kinds; the reason is what matters
            return EXIT_BUILD_FAILED, HOURLY_MESSAGES["build_failed"].format(
                detail=f"{type(exc).__name__}: {exc}")
    # 5. Post-process (search index, compression …).
    with phase("postprocess"):
        try:
            record["postprocess"] = postprocess.run_steps(output, settings)
        except postprocess.PostprocessError as exc:
            return EXIT_BUILD_FAILED, HOURLY_MESSAGES["build_failed"].format(detail=exc)
    # 6. Verify, then publish.
    with phase("verify"):
        verdict = verify_site(output, baseline, settings, target=target)
    record["verify"] = verdict.to_json()
    if not verdict.ok:
        lines = [HOURLY_MESSAGES["verify_failed"], *(f"- {r}" for r in verdict.reasons)]
        return EXIT_VERIFY_FAILED, "\n".join(lines)
    if not opts.publish:
        console.print(HOURLY_MESSAGES["not_published"])
        return EXIT_OK, None
    with phase("publish"):
        sent: dict[str, Any] = {}
        try:
            seconds = publish.publish(output, target, repo=repo, options=pub_options,
                                      manifest=verdict.manifest, report=sent)
        except publish.PublishError as exc:
            return EXIT_PUBLISH_FAILED, HOURLY_MESSAGES["publish_failed"].format(detail=exc)
    if sent:
        record["publish"] = sent
    verdict.manifest.write(manifest_path)
    result.published = True
    console.print(HOURLY_MESSAGES["published"].format(target=target,
                                                      pages=len(verdict.manifest.pages),
                                                      seconds=seconds))
    return EXIT_OK, None


# -- entry points for tasks.py ------------------------------------------------------


def verify_output(output: str | Path = "output", *, settings_file: str | Path = "publishconf.py",
                  db: str | Path = "var/warta.sqlite", quiet: bool = False) -> int:
    """``invoke verify``: check a built folder against the last published manifest."""
    console = Console(stderr=True, quiet=quiet)
    settings = _settings(HourlyOptions(settings_file=settings_file, output=output, db=db))
    baseline = read_manifest(_abs(db).parent / MANIFEST_FILE)
    verdict = verify_site(_abs(output), baseline, settings)
    for r in verdict.reasons:
        console.print(f"[red]✗[/] {r}", highlight=False)
    stats = verdict.stats
    if verdict.ok:
        console.print(f"[green]✓[/] Situs lolos verifikasi: {stats['pages']} halaman, "
                      f"{stats.get('links', 0)} tautan internal diperiksa "
                      f"({stats.get('verify_s', 0):.2f} dtk).")
        return EXIT_OK
    return EXIT_VERIFY_FAILED


def publish_output(output: str | Path = "output", *, target: str | None = None,
                   settings_file: str | Path = "publishconf.py", db: str | Path = "var/warta.sqlite",
                   repo: str | Path = ".", verify: bool = True, quiet: bool = False) -> int:
    """``invoke publish``: verify (unless told not to) and publish an already built folder."""
    console = Console(stderr=True, quiet=quiet)
    settings = _settings(HourlyOptions(settings_file=settings_file, output=output, db=db))
    tgt = target or str(setting(settings, "WARTA_PUBLISH_TARGET"))
    manifest_path = _abs(db).parent / MANIFEST_FILE
    verdict = verify_site(_abs(output), read_manifest(manifest_path), settings,
                          check_links=verify, target=tgt)
    if verify and not verdict.ok:
        console.print(HOURLY_MESSAGES["verify_failed"])
        for r in verdict.reasons:
            console.print(f"[red]✗[/] {r}", highlight=False)
        return EXIT_VERIFY_FAILED
    try:
        seconds = publish.publish(_abs(output), tgt, repo=_abs(repo),
                                  options=publish.PublishOptions.from_settings(settings),
                                  manifest=verdict.manifest)
    except publish.PublishError as exc:
        console.print(f"[red]✗[/] {HOURLY_MESSAGES['publish_failed'].format(detail=exc)}")
        return EXIT_PUBLISH_FAILED
    verdict.manifest.write(manifest_path)
    console.print(HOURLY_MESSAGES["published"].format(target=tgt, pages=len(verdict.manifest.pages),
                                                      seconds=seconds))
    return EXIT_OK
