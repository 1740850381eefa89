"""The documentation cannot drift from the code it describes.

A newcomer reads README.md, an operator docs/operations.md, a humas contributor
CONTRIBUTING.md. Each claim checked here is one that silently goes stale when
someone adds a task, a setting or a benchmark, moves a script or renames a
heading: every ``invoke`` task and every ``WARTA_*`` setting is documented (with
its real default), every command, link and task the docs name exists, the
README stays short, the performance page stays one table of current figures,
and no doc speaks of issue numbers. The checkers are plain functions; the
``test_checker_*`` tests feed them bad text to show that each can fail.
"""

from __future__ import annotations

import ast
import os
import re
import runpy
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest
from warta.core.settings import DEFAULTS

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = ROOT / "docs"
OPERATIONS = DOCS / "operations.md"
PERFORMANCE = DOCS / "performance.md"
CONTRIBUTING = ROOT / "CONTRIBUTING.md"
README_MAX_BYTES = 12_000
IMAGE_MAX_BYTES = 300_000
"""Screenshots in docs/img/ are read on GitHub by people on slow connections."""

# --- reading Markdown --------------------------------------------------------------------------

_FENCE = re.compile(r"^(```|~~~)")
_LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)")
_INVOKE = re.compile(r"\binvoke ([a-z][a-z0-9_-]*)")
_SCRIPT = re.compile(r"(?<![\w/.-])scripts/[\w./-]*\w")
_ISSUE = re.compile(r"\bissues?\s*(?:no\.?\s*)?#?\s*\d+", re.IGNORECASE)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}\b")


def prose(text: str) -> str:
    """``text`` without its fenced code blocks (shell and YAML comments are not headings)."""
    out, fenced = [], False
    for line in text.splitlines():
        if _FENCE.match(line.lstrip()):
            fenced = not fenced
            continue
        if not fenced:
            out.append(line)
    return "\n".join(out)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = heading.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(text: str) -> set[str]:
    """Every heading anchor of a Markdown text, repeated headings numbered as GitHub does."""
    seen: dict[str, int] = {}
    found: set[str] = set()
    for line in prose(text).splitlines():
        m = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if not m:
            continue
        base = slug(m.group(1))
        n = seen.get(base, 0)
        seen[base] = n + 1
        found.add(base if n == 0 else f"{base}-{n}")
    return found


def broken_links(path: Path, text: str) -> list[str]:
    """Relative links and images of ``text`` (the file ``path``) whose file or anchor is missing."""
    problems = []
    for target in _LINK.findall(prose(text)):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # https:, mailto: …
            continue
        file_part, _, anchor = target.partition("#")
        if not file_part:  # an anchor in this very text
            if anchor not in anchors(text):
                problems.append(f"{path.name}: {target} (no such heading)")
            continue
        dest = (path.parent / file_part).resolve()
        if not dest.exists():
            problems.append(f"{path.name}: {target} (no such file)")
            continue
        if anchor and dest.suffix == ".md" and anchor not in anchors(dest.read_text(encoding="utf-8")):
            problems.append(f"{path.name}: {target} (no heading #{anchor} in {dest.name})")
    return problems


def table_rows(text: str) -> list[list[str]]:
    """Cells of every Markdown table row, header and separator rows left out."""
    rows = []
    for line in prose(text).splitlines():
        line = line.strip()
        if not (line.startswith("|") and line.endswith("|")):
            continue
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line[1:-1])]
        if all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
            continue
        rows.append(cells)
    return rows


def code_span(cell: str) -> str | None:
    m = re.search(r"`([^`]*)`", cell)
    return m.group(1) if m else None


# --- the checkers ------------------------------------------------------------------------------


def undocumented_tasks(names: Iterable[str], text: str) -> list[str]:
    """Tasks that ``text`` never names as ``invoke <name>``."""
    return [n for n in names if not re.search(rf"\binvoke {re.escape(n)}(?![\w-])", text)]


def unknown_tasks(text: str, names: Iterable[str]) -> list[str]:
    """``invoke X`` mentions in ``text`` whose X is no task."""
    known = set(names)
    return sorted({m for m in _INVOKE.findall(text) if m not in known})


def settings_table(text: str) -> dict[str, list[str]]:
    """Rows of the settings tables: ``WARTA_X`` → [default, pelicanconf.py, what it does].

    A setting with two rows maps to ``["twice"]``, which :func:`settings_problems` reports.
    """
    rows: dict[str, list[str]] = {}
    for cells in table_rows(text):
        name = code_span(cells[0]) or ""
        if len(cells) == 4 and cells[0] == f"`{name}`" and name.startswith("WARTA_"):
            rows[name] = ["twice"] if name in rows else cells[1:]
    return rows


def _same(a: Any, b: Any) -> bool:
    norm = (lambda v: tuple(v) if isinstance(v, list) else v)  # noqa: E731
    return norm(a) == norm(b)


def settings_problems(rows: Mapping[str, list[str]], defaults: Mapping[str, Any],
                      conf: Mapping[str, Any]) -> list[str]:
    """What the settings table gets wrong about ``defaults`` and ``pelicanconf.py``'s ``conf``."""
    problems = []
    for name in sorted(set(defaults) | {n for n in conf if n.startswith("WARTA_")}):
        row = rows.get(name)
        if row is None:
            problems.append(f"{name}: no row in the settings table")
            continue
        if row == ["twice"]:
            problems.append(f"{name}: two rows in the settings tables")
            continue
        if name not in defaults:
            problems.append(f"{name}: set in pelicanconf.py but has no default in core/settings.py")
            continue
        written = code_span(row[0])
        try:
            value = ast.literal_eval(written) if written is not None else object()
        except (ValueError, SyntaxError):
            value = object()
        if not _same(value, defaults[name]):
            problems.append(f"{name}: default column says {row[0]!r}, DEFAULTS has {defaults[name]!r}")
        if name in conf and not _same(conf[name], defaults[name]) and not row[1]:
            problems.append(f"{name}: pelicanconf.py sets {conf[name]!r}; the pelicanconf.py "
                            "column is empty")
        if not row[2]:
            problems.append(f"{name}: says nothing about what it does")
    problems += [f"{name}: documented but not a setting" for name in rows if name not in defaults]
    return problems


def script_problems(text: str, root: Path) -> list[str]:
    problems = []
    for rel in sorted(set(_SCRIPT.findall(text))):
        path = root / rel
        if not path.is_file():
            problems.append(f"{rel}: no such file")
        elif not os.access(path, os.X_OK):
            problems.append(f"{rel}: not executable")
    return problems


_REPO_DIRS = ("plugins/", "tests/", "benchmarks/", "scripts/", "theme/", "docs/", "demo/", ".github/", ".ci/")
_STAGES = ("core", "sources", "clean", "archive", "stories", "ingest", "images", "search", "contrib",
           "site", "ops", "data")


def resolves(dotted: str) -> bool:
    """``warta.a.b`` or ``warta.a.b.Name.attr``: the longest importable module, then attributes."""
    import importlib

    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            if not hasattr(obj, name):
                return False
            obj = getattr(obj, name)
        return True
    return False


def stale_paths(text: str, root: Path) -> list[str]:
    """Code spans naming a repository path, a plugin module or a ``warta.`` object that is gone.

    Spans with a placeholder (``<id>``, ``…``, ``*``, ``{a,b}``) or a space are examples or
    commands, not paths, and are left alone.
    """
    problems = []
    for span in sorted(set(re.findall(r"`([^`\n]+)`", prose(text)))):
        if re.search(r"[<>…*{} ]", span):
            continue
        if span.startswith(_REPO_DIRS):
            if not (root / span).exists():
                problems.append(f"{span}: no such path")
        elif span.split("/")[0] in _STAGES and re.fullmatch(r"[\w/]+\.(py|yml)", span):
            if not (root / "plugins" / "warta" / span).exists():
                problems.append(f"{span}: no such module under plugins/warta/")
        elif re.fullmatch(r"warta(\.\w+)+(:\w+)?", span) and not resolves(span.replace(":", ".")):
            problems.append(f"{span}: cannot be imported")
    return problems

def issue_mentions(files: Iterable[Path], root: Path = ROOT) -> list[str]:
    """``file:line: '<mention>'`` for every mention of a numbered tracker entry."""
    found = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        for m in _ISSUE.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            found.append(f"{path.relative_to(root)}:{line}: {m.group(0)!r}")
    return found


def performance_problems(text: str, scripts: Iterable[str]) -> list[str]:
    """One table; every row dated (or "—" when there is no figure); every benchmark has a row."""
    problems = []
    blocks, inside = 0, False
    for line in prose(text).splitlines():
        is_row = line.strip().startswith("|")
        if is_row and not inside:
            blocks += 1
        inside = is_row
    if blocks != 1:
        problems.append(f"{blocks} tables; the current figures are one table")
    table = table_rows(text)
    header = [c.lower() for c in (table[0] if table else [])]
    if "command" not in header:
        return [*problems, "no table with a command column"]
    rows = table[1:]
    for cells in rows:
        if len(cells) != len(header):
            problems.append(f"row {cells[0]!r}: {len(cells)} columns, the header has {len(header)}")
            continue
        last, command = cells[-1], cells[header.index("command")]
        if not (_DATE.match(last) or last == "—"):
            problems.append(f"row {cells[0]!r}: no date in its last column ({last!r})")
        if "benchmarks/" not in command and not command.startswith("same run"):
            problems.append(f"row {cells[0]!r}: no command")
    body = "\n".join(" ".join(c) for c in rows)
    problems += [f"{s}: no row" for s in scripts if s not in body]
    return problems


# --- what the repository has -------------------------------------------------------------------


def task_names() -> list[str]:
    from invoke import Collection

    import tasks

    return sorted(Collection.from_module(tasks).task_names)


def pelicanconf() -> dict[str, Any]:
    """Every ``WARTA_*`` name ``pelicanconf.py`` assigns, with the value it gets."""
    conf = runpy.run_path(str(ROOT / "pelicanconf.py"))
    return {name: value for name, value in conf.items() if name.startswith("WARTA_")}


def doc_files() -> list[Path]:
    return [README, CONTRIBUTING, *sorted(DOCS.rglob("*.md"))]


def benchmark_scripts() -> list[str]:
    """Runnable benchmark scripts (those with a ``__main__`` block), as ``benchmarks/x.py``."""
    return [f"benchmarks/{p.name}" for p in sorted((ROOT / "benchmarks").glob("*.py"))
            if "__main__" in p.read_text(encoding="utf-8")]


# --- the tests ---------------------------------------------------------------------------------


def test_every_task_is_documented_in_operations() -> None:
    names = task_names()
    assert "demo" in names and "search-index" in names  # the collection is the real one
    assert undocumented_tasks(names, OPERATIONS.read_text(encoding="utf-8")) == []


def test_every_setting_is_in_the_operations_table_with_its_default() -> None:
    conf = pelicanconf()
    assert "WARTA_DB" in conf
    rows = settings_table(OPERATIONS.read_text(encoding="utf-8"))
    assert settings_problems(rows, DEFAULTS, conf) == []


def test_readme_is_short_and_its_commands_exist() -> None:
    text = README.read_text(encoding="utf-8")
    size = len(text.encode("utf-8"))
    assert size <= README_MAX_BYTES, f"README.md is {size} bytes; move detail to docs/"
    # The two commands of a fresh clone, exactly; .ci/run calls the second.
    assert "\nscripts/demo.sh\n" in text and "\nscripts/test.sh\n" in text
    assert "scripts/test.sh" in (ROOT / ".ci/run").read_text(encoding="utf-8")
    assert script_problems(text, ROOT) == []
    assert unknown_tasks(text, task_names()) == []
    assert undocumented_tasks(task_names(), text) == [], "README's task table has a line per task"
    links = [t for t in _LINK.findall(prose(text)) if t.startswith("docs/")]
    assert "docs/operations.md" in {t.split("#")[0] for t in links}


@pytest.mark.parametrize("path", doc_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_links_and_task_names_in_the_docs_resolve(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert broken_links(path, text) == []
    assert unknown_tasks(text, task_names()) == []


@pytest.mark.parametrize("path", doc_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_paths_and_modules_named_in_the_docs_exist(path: Path) -> None:
    assert stale_paths(path.read_text(encoding="utf-8"), ROOT) == []

def test_screenshots_are_small() -> None:
    images = sorted((DOCS / "img").glob("*.png"))
    assert images, "docs/img/ holds the demo hub's screenshot"
    assert {p.name: p.stat().st_size for p in images if p.stat().st_size >= IMAGE_MAX_BYTES} == {}


def test_no_doc_speaks_of_issue_numbers() -> None:
    """Docs, code, comments, settings and data the project writes say what things do; the
    history of why is in the commit messages. (Test data is input from outside, the
    checker's own examples among it.)"""
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split()
    files = [ROOT / p for p in tracked
             if Path(p).suffix in (".md", ".py", ".yml", ".yaml", ".toml", ".sh", ".txt",
                                   ".html", ".css", ".js", ".cfg")
             and not p.startswith("tests/data/")]
    assert files and issue_mentions(files) == []


def test_performance_is_one_table_of_dated_figures_for_every_benchmark() -> None:
    scripts = benchmark_scripts()
    assert "benchmarks/fetch_bench.py" in scripts and "benchmarks/synth.py" not in scripts
    assert performance_problems(PERFORMANCE.read_text(encoding="utf-8"), scripts) == []



def test_every_stage_package_and_connected_signal_is_in_the_docs() -> None:
    plugin = ROOT / "plugins" / "warta"
    stages = sorted(p.parent.name for p in plugin.glob("*/__init__.py"))
    assert {"core", "ingest", "ops"} <= set(stages)
    readme = README.read_text(encoding="utf-8")
    architecture = (DOCS / "architecture.md").read_text(encoding="utf-8")
    for name, text in (("README.md", readme), ("docs/architecture.md", architecture)):
        missing = [s for s in stages if not re.search(rf"^\| `{s}` \|", text, re.MULTILINE)]
        assert missing == [], f"{name} has no row for these stage packages"
    wiring = (plugin / "__init__.py").read_text(encoding="utf-8")
    connected = sorted(set(re.findall(r"signals\.(\w+)\.connect", wiring)))
    assert "article_generator_pretaxonomy" in connected
    assert [s for s in connected if f"| `{s}` |" not in architecture] == []


def test_registry_doc_has_every_field_and_kind_and_which_may_omit_region() -> None:
    from warta.sources.kinds import KINDS, NATIONAL_KINDS
    from warta.sources.registry import FIELDS

    rows = {cells[0]: cells for cells in table_rows((DOCS / "registry.md").read_text(encoding="utf-8"))}
    assert [f for f in FIELDS if f"`{f}`" not in rows] == []
    kinds = set(re.findall(r"`([a-z-]+)`", rows["`kind`"][2]))
    assert kinds == set(KINDS)
    may_omit = set(re.findall(r"`([a-z-]+)`", rows["`region`"][1]))
    assert may_omit == set(NATIONAL_KINDS)

# --- the checkers fail on bad text -------------------------------------------------------------


def test_checker_tasks_finds_a_missing_and_an_unknown_task() -> None:
    text = "`invoke build` and `invoke search-index`; also `.venv/bin/invoke deploy --now`."
    assert undocumented_tasks(["build", "search", "search-index"], text) == ["search"]
    assert unknown_tasks(text, ["build", "search-index"]) == ["deploy"]


def test_checker_settings_finds_missing_wrong_and_stale_rows() -> None:
    text = "\n".join([
        "| setting | default | pelicanconf.py | what it does |",
        "|---|---|---|---|",
        "| `WARTA_A` | `(1, 2)` | | a |",
        "| `WARTA_B` | `\"x\"` | | b |",
        "| `WARTA_GONE` | `None` | | gone |",
        "| `WARTA_C` | `3` | | |",
        "| `WARTA_H` | `1` | | h |",
        "| `WARTA_H` | `1` | | h again |",
    ])
    rows = settings_table(text)
    assert set(rows) == {"WARTA_A", "WARTA_B", "WARTA_GONE", "WARTA_C", "WARTA_H"}
    defaults = {"WARTA_A": (1, 2), "WARTA_B": "y", "WARTA_C": 3, "WARTA_D": None, "WARTA_H": 1}
    problems = settings_problems(rows, defaults, {"WARTA_A": [1, 2], "WARTA_C": 4, "WARTA_E": 1})
    assert [p.split(":")[0] for p in problems] == [
        "WARTA_B", "WARTA_C", "WARTA_C", "WARTA_D", "WARTA_E", "WARTA_H", "WARTA_GONE"]
    assert "WARTA_H: two rows in the settings tables" in problems
    assert settings_problems(rows, {"WARTA_A": (1, 2), "WARTA_H": 1}, {"WARTA_A": [1, 2]}) == [
        "WARTA_H: two rows in the settings tables",
        *(f"{n}: documented but not a setting" for n in ("WARTA_B", "WARTA_GONE", "WARTA_C"))]


def test_checker_links_finds_missing_files_and_anchors(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/a.md").write_text("# Title\n\n## Sites without a feed\n\n```sh\n# not a heading\n```\n")
    page = tmp_path / "README.md"
    text = ("[ok](docs/a.md#sites-without-a-feed) [top](#intro) ![img](docs/img/x.png) "
            "[gone](docs/b.md) [anchor](docs/a.md#not-a-heading) [web](https://example.org/x)\n"
            "# Intro\n")
    assert broken_links(page, text) == [
        "README.md: docs/img/x.png (no such file)", "README.md: docs/b.md (no such file)",
        "README.md: docs/a.md#not-a-heading (no heading #not-a-heading in a.md)"]
    assert slug("4. Cara lain: ruang redaksi /admin/ dan perintah `invoke new`") == \
        "4-cara-lain-ruang-redaksi-admin-dan-perintah-invoke-new"


def test_checker_scripts_finds_missing_and_non_executable(tmp_path: Path) -> None:
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts/run.sh").write_text("#!/bin/sh\n")
    (tmp_path / "scripts/ok.sh").write_text("#!/bin/sh\n")
    (tmp_path / "scripts/ok.sh").chmod(0o755)
    text = "Run `scripts/ok.sh`, then scripts/run.sh and scripts/none.sh."
    assert script_problems(text, tmp_path) == ["scripts/none.sh: no such file",
                                               "scripts/run.sh: not executable"]


def test_checker_issue_numbers() -> None:
    data = ROOT / "tests" / "data" / "docs"
    # The examples and what the checker must say of them are data: this file names no entry.
    expected = (data / "tracker_mentions.expected").read_text(encoding="utf-8").splitlines()
    assert issue_mentions([data / "tracker_mentions.md"], data) == expected


def test_checker_performance_finds_a_second_table_undated_rows_and_missing_benchmarks() -> None:
    text = "\n".join([
        "| what | figure | target | command | date, load |",
        "|---|---|---|---|---|",
        "| fetch | 26 s | ≤ 30 s | `benchmarks/fetch_bench.py` | 2026-12-03, 1 |",
        "| build | 62 s | — | `benchmarks/build_bench.py` | last week |",
        "| clean | 285/s | — | by hand | 2026-12-03, 2 |",
        "",
        "| history | before |",
        "|---|---|",
        "| fetch | 278 s |",
    ])
    problems = performance_problems(text, ["benchmarks/fetch_bench.py", "benchmarks/images_bench.py"])
    assert problems == [
        "2 tables; the current figures are one table",
        "row 'build': no date in its last column ('last week')",
        "row 'clean': no command",
        "row 'history': 2 columns, the header has 5",
        "row 'fetch': 2 columns, the header has 5",
        "benchmarks/images_bench.py: no row",
    ]


def test_checker_paths_finds_moved_files_and_modules(tmp_path: Path) -> None:
    (tmp_path / "plugins/warta/ingest").mkdir(parents=True)
    (tmp_path / "plugins/warta/ingest/fetch.py").write_text("")
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts/test.sh").write_text("")
    text = ("`scripts/test.sh`, `plugins/warta/contentcheck.py`, `ingest/fetch.py`, `site/bridge.py`, "
            "`tests/<stage>/`, `scripts/test.sh tests/x.py`, `warta.ops.postprocess:gzip_precompress`, "
            "`warta.search:search_step`, `warta.contentcheck`, `sources/33/`, "
            "`warta.archive.store.Archive.items`, `warta.archive.store.Archive.gone`\n"
            "```sh\n`plugins/in/a/code/block.py`\n```\n")
    assert stale_paths(text, tmp_path) == [
        "plugins/warta/contentcheck.py: no such path",
        "site/bridge.py: no such module under plugins/warta/",
        "warta.archive.store.Archive.gone: cannot be imported",
        "warta.contentcheck: cannot be imported",
        "warta.search:search_step: cannot be imported",
    ]
