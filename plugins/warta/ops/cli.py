"""What the ``invoke`` tasks call: fetch, build, check, serve.

Tasks stay thin (parse options, call these); tests call these functions too.
Console output is for operators: a progress bar and a closing table in
Indonesian; the machine-readable run log goes to ``var/runs.jsonl``.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import http.server
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..archive.store import Archive
from ..contrib import articles
from ..contrib import check as contentcheck
from ..core import messages
from ..core.messages import STATUS_LABELS, SUMMARY_HEADERS
from ..core.settings import setting
from ..ingest.fetch import FetchPolicy
from ..ingest.run import RunReport, SourceOutcome, run_fetch
from ..search.pagefind import finish_during_build, index_site
from ..sources.registry import load_registry

ROOT = Path(__file__).resolve().parents[3]


def _abs(path: str | Path) -> Path:
    p = Path(path)
    return p if p.is_absolute() else (Path.cwd() / p)


def fetch(sources_dir: str | Path = "sources", db: str | Path = "var/warta.sqlite", *,
          policy: FetchPolicy | None = None, quiet: bool = False, force: bool = False,
          run_log: str | Path | None = "var/runs.jsonl") -> RunReport:
    """Fetch every active source of the registry at ``sources_dir`` into ``db``."""
    console = Console(stderr=True, quiet=quiet)
    root = _abs(sources_dir)
    sources, errors = load_registry(root)
    for e in errors:
        console.print(f"[yellow]registri:[/] {e}")
    active = [s for s in sources if s.active]
    with Archive(_abs(db)) as archive, Progress(
        TextColumn("Mengambil feed"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console, transient=True, disable=quiet,
    ) as progress:
        task = progress.add_task("fetch", total=len(active))

        def advance(_: SourceOutcome) -> None:
            progress.advance(task)

        report = run_fetch(archive, sources, registry_root=root, policy=policy, force=force,
                           on_progress=advance)
    if not quiet:
        console.print(summary_table(report))
    if run_log:
        log_path = _abs(run_log)
        log_path.parent.mkdir(parents=True, exist_ok=True)
        line = report.to_json()
        line.pop("sources")
        line["failed"] = [
            {"source": s.source_id, "error_class": s.error_class, "error": s.error_message}
            for s in report.sources if s.status == "error"
        ]
        with log_path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
    return report


def summary_table(report: RunReport) -> Table:
    table = Table(title=(
        f"Ringkasan: {report.count('ok')} berhasil, {report.count('not_modified')} tidak berubah, "
        f"{report.count('error')} gagal, {report.count('deferred')} ditunda — "
        f"{report.items_new} berita baru, "
        f"{report.items_updated} diperbarui ({report.duration:.1f} dtk)"
    ))
    for header in SUMMARY_HEADERS:
        table.add_column(header)
    for s in report.sources:
        style = {"error": "red", "not_modified": "dim", "deferred": "yellow"}.get(s.status, "")
        note = (s.error_message or next((f.error_message for f in s.feeds if f.error_message), "")
                or "; ".join(f.note for f in s.feeds if f.note))
        if s.discovered and s.feeds:
            found = messages.DISCOVERY_MESSAGES["found"].format(
                label=messages.METHOD_LABELS.get(s.discovered, s.discovered), url=s.feeds[0].url)
            note = f"{found}; {note}" if note else found
        table.add_row(s.source_id, STATUS_LABELS.get(s.status, s.status), str(s.new),
                      str(s.updated), note or "", style=style)
    return table


def build(*, settings_file: str | Path = "pelicanconf.py", sources_dir: str | Path | None = None,
          db: str | Path | None = None, output: str | Path | None = None,
          overrides: dict[str, Any] | None = None, full: bool = False,
          search: bool = False) -> Path:
    """Run Pelican with the Warta plugin, then index the result for search; returns the output folder.

    Incremental unless ``full`` (or there is no previous build to start from):
    only pages whose inputs changed are rendered (``warta.site.incremental``). A
    full build empties the output folder first and renders every page; both
    give the same files.

    ``search``: then index the built site for full-text search
    (:func:`warta.search.pagefind.index_site`, skipped when ``WARTA_SEARCH`` is False);
    ``invoke build``/``demo`` ask for it. The hourly run indexes through its
    post-process steps instead (``WARTA_POSTPROCESS``: ``warta.search.pagefind:search_step``).
    """
    from pelican import Pelican
    from pelican.settings import read_settings

    from ..site.incremental import state_path

    override: dict[str, Any] = dict(overrides or {})
    if sources_dir is not None:
        override["WARTA_SOURCES"] = str(_abs(sources_dir))
    if db is not None:
        override["WARTA_DB"] = str(_abs(db))
    if output is not None:
        override["OUTPUT_PATH"] = str(_abs(output))
    settings = read_settings(str(_abs(settings_file)), override=override)
    previous = state_path(settings).exists() and Path(settings["OUTPUT_PATH"]).is_dir()
    incremental = previous and not full and setting(settings, "WARTA_INCREMENTAL")
    settings["WARTA_INCREMENTAL"] = bool(incremental)
    if incremental:
        settings["DELETE_OUTPUT_DIRECTORY"] = False
    # Indexing starts once the article pages are written (warta.search.pagefind.start_during_build);
    # the call below then finds every bundle current, or redoes what failed.
    settings["WARTA_SEARCH_DURING_BUILD"] = bool(search)
    output_path = Path(settings["OUTPUT_PATH"])
    try:
        Pelican(settings).run()
    finally:  # a failed build does not leave Pagefind writing into its output
        finish_during_build(output_path)
    if search:
        index_site(output_path, settings)
    return output_path


def check(sources_dir: str | Path = "sources", content_dir: str | Path = "content",
          takedowns: str | Path | None = "takedowns.yml", *, now: datetime | None = None,
          console: Console | None = None, github: bool = False) -> int:
    """Validate registry, local articles and takedowns.yml; print every problem.

    Returns the number of errors (warnings do not count), so the task can exit
    non-zero and a pull request shows red until everything is fixed. With
    ``github`` each problem is also printed as a GitHub Actions annotation, so
    it appears on the very line of the pull request's diff.
    """
    report = contentcheck.check_repository(
        sources_dir=_abs(sources_dir), content_dir=_abs(content_dir),
        takedowns_file=_abs(takedowns) if takedowns else None, now=now)
    console = console or Console()
    root = Path.cwd()
    out = functools.partial(console.print, highlight=False, markup=False, soft_wrap=True)
    for e in report.registry_errors:
        out(f"✗ {e}", style="red")
        if github:
            print(github_annotation("error", e.path, e.line, str(e).split(": ", 1)[-1], root))
    for p in sorted(report.errors, key=lambda p: (str(p.path), p.line or 0)):
        out(f"✗ {p.describe(root)}", style="red")
    for p in sorted(report.warnings, key=lambda p: (str(p.path), p.line or 0)):
        out(f"! {p.describe(root)}", style="yellow")
    if github:
        for p in report.problems:
            print(github_annotation("warning" if p.warning else "error", p.path, p.line,
                                    f"{p.message}. {messages.FIX_LABEL}: {p.fix}", root))
    if report.warnings:
        console.print(messages.CHECK_WARNINGS.format(count=len(report.warnings)), highlight=False)
    if report.error_count:
        console.print("\n" + messages.CHECK_FAILED.format(count=report.error_count),
                      style="red", highlight=False)
    else:
        console.print(messages.CHECK_OK.format(sources=len(report.sources),
                                               articles=report.article_count,
                                               takedowns=len(report.takedowns)),
                      style="green", highlight=False)
    return report.error_count


def github_annotation(level: str, path: Path, line: int | None, text: str, root: Path) -> str:
    """A GitHub Actions workflow command that pins ``text`` to ``path:line`` in the diff."""
    try:
        rel = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        rel = str(path)
    where = f"file={rel}" + (f",line={line}" if line else "")
    body = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return f"::{level} {where}::{body}"


def new_article(source_id: str, title: str, *, sources_dir: str | Path = "sources",
                content_dir: str | Path = "content", now: datetime | None = None) -> Path:
    """Scaffold a local article for ``source_id`` in its folder (``invoke new``)."""
    root = _abs(sources_dir)
    sources, _ = load_registry(root)
    by_id = {s.id: s for s in sources}
    source = by_id.get(source_id)
    if source is None:
        close = difflib.get_close_matches(source_id, list(by_id), n=3)
        hint = ("Mungkin maksud Anda: " + ", ".join(close) + ".") if close else \
            "Periksa id sumber di berkas sources/<provinsi>/<id>.yml."
        raise UnknownSource(messages.SCAFFOLD_UNKNOWN_SOURCE.format(
            source=source_id, root=root, suggestion=hint))
    if not title.strip():
        raise UnknownSource("Judul artikel tidak boleh kosong, contoh: invoke new --source "
                            f"{source_id} \"Bupati Meresmikan Jembatan Desa\"")
    path = articles.scaffold(_abs(content_dir), source, title, now=now)
    return path


def write_codeowners(path: str | Path = ".github/CODEOWNERS") -> Path:
    """Regenerate CODEOWNERS from the province list (``invoke codeowners``)."""
    from ..contrib.codeowners import render

    target = _abs(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render(), encoding="utf-8")
    return target


class UnknownSource(ValueError):
    """``invoke new`` was given a source id that the registry does not know."""


def stories(db: str | Path = "var/warta.sqlite", *, quiet: bool = False) -> dict[str, object]:
    """Place archived items not yet in a story (a fetch run does this by itself).

    For an archive filled before story grouping existed, or after a run whose
    story step failed: only pending items are placed, in chunks.
    """
    from ..stories.assign import assign_stories

    with Archive(_abs(db)) as archive:
        result = assign_stories(archive).to_json()
    if not quiet:
        Console(stderr=True).print(
            f"Cerita: {result['assigned']} berita ditempatkan, {result['joined']} bergabung ke "
            f"cerita lain, {result['merged']} cerita digabung ({result['seconds']} dtk)")
    return result


def serve(output: str | Path = "output", host: str = "127.0.0.1", port: int = 8000) -> None:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(_abs(output)))
    with http.server.ThreadingHTTPServer((host, port), handler) as httpd:
        print(f"Warta tersaji di http://{host}:{port}/ (Ctrl+C untuk berhenti)", file=sys.stderr)
        with contextlib.suppress(KeyboardInterrupt):
            httpd.serve_forever()


def discover(target: str, *, write: bool = False, sources_dir: str | Path = "sources",
             db: str | Path | None = "var/warta.sqlite", policy: FetchPolicy | None = None) -> int:
    """``invoke discover``: what a homepage offers, or write what was found into the registry.

    ``target`` is a homepage address, or (also without ``write``) a source id or a
    registry folder or file, whose entries' homepages are searched. Without ``write``
    it prints every way found and a registry entry for the best; 0 when something
    works. With ``write`` it fills the ``feeds:`` of the named entries that have
    none (:mod:`warta.ops.fillregistry`); 0 when every one of them got its feeds.
    """
    from ..ingest.discover import report, run_discover
    from . import fillregistry

    if write or "://" not in target:
        root = _abs(sources_dir)
        sources, errors = load_registry(root)
        for e in errors:
            print(f"registri: {e}", file=sys.stderr)
        if write:
            return fillregistry.run(target, sources, root=root.parent,
                                    db=_abs(db) if db else None, policy=policy)
        homepages = [s.homepage for s in fillregistry.select(target, sources)]
        if not homepages:
            print(messages.DISCOVER_WRITE["unknown"].format(target=target, root=root))
            return 1
    else:
        homepages = [target]
    worked = 0
    for homepage in homepages:
        found = run_discover(homepage, policy)
        print(report(found))
        worked += found.best is not None
    return 0 if worked == len(homepages) else 1
