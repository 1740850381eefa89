"""``invoke check``: every rule has a failing and a passing fixture (tests/data/konten/<rule>/).

Each rule folder holds two overlays on the valid base tree ``_dasar/``: ``lulus/`` (passes)
and ``gagal/`` (breaks exactly that rule; ``harapan.yml`` names the expected rule codes, the
file and the line). Checks run with a fixed "now" so date rules are stable.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from rich.console import Console
from warta.contrib import check as contentcheck
from warta.core import messages
from warta.ops import cli

DATA = Path(__file__).parents[1] / "data" / "konten"
BASE = DATA / "_dasar"
NOW = datetime(2025, 6, 1, 12, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
RULES = sorted(p.name for p in DATA.iterdir() if p.is_dir() and not p.name.startswith("_"))


def tree(tmp_path: Path, overlay: Path | None = None) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(BASE, root)
    if overlay is not None:
        for src in overlay.rglob("*"):
            if src.is_file() and src.name != "harapan.yml":
                dst = root / src.relative_to(overlay)
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, dst)
    return root


def run(root: Path) -> contentcheck.CheckReport:
    return contentcheck.check_repository(sources_dir=root / "sources", content_dir=root / "content",
                                         takedowns_file=root / "takedowns.yml", now=NOW)


def error_codes(report: contentcheck.CheckReport) -> set[str]:
    codes = {p.code for p in report.errors}
    if report.registry_errors:
        codes.add("registry")
    return codes


def test_every_rule_has_fixtures() -> None:
    rule_codes = set(messages.CHECK_MESSAGES) - {"placeholder", "placeholder-image"}
    assert rule_codes <= set(RULES), f"rules without fixtures: {rule_codes - set(RULES)}"
    for rule in RULES:
        assert (DATA / rule / "lulus").is_dir() and (DATA / rule / "gagal" / "harapan.yml").is_file()


def test_base_tree_is_valid(tmp_path: Path) -> None:
    report = run(tree(tmp_path))
    assert report.problems == [] and report.registry_errors == []
    assert report.article_count == 2  # pages/ is not an article folder
    assert len(report.takedowns) == 2 and len(report.sources) == 2


@pytest.mark.parametrize("rule", RULES)
def test_rule_passing_fixture(rule: str, tmp_path: Path) -> None:
    report = run(tree(tmp_path, DATA / rule / "lulus"))
    assert [p.describe() for p in report.errors] == []
    assert report.registry_errors == []


@pytest.mark.parametrize("rule", RULES)
def test_rule_failing_fixture(rule: str, tmp_path: Path) -> None:
    expect = yaml.safe_load((DATA / rule / "gagal" / "harapan.yml").read_text(encoding="utf-8"))
    root = tree(tmp_path, DATA / rule / "gagal")
    report = run(root)
    assert error_codes(report) == set(expect["kode"]), [p.describe() for p in report.errors]
    if rule == "registry":
        err = report.registry_errors[0]
        assert err.path == root / expect["berkas"] and err.line == expect["baris"]
        return
    problem = next(p for p in report.errors if p.code == expect["kode"][0])
    if "berkas" in expect:
        assert problem.path == root / expect["berkas"]
    if "baris" in expect:
        assert problem.line == expect["baris"]
    # Every problem tells what is wrong and how to fix it, in Indonesian.
    text = problem.describe(root)
    assert messages.FIX_LABEL in text and problem.fix and problem.message


def test_all_problems_reported_at_once(tmp_path: Path) -> None:
    """Several broken files and fields: every problem in one run, none hidden by another."""
    root = tree(tmp_path)
    for rule in ("date-offset", "category-unknown", "html-forbidden", "takedown-date", "registry"):
        for src in (DATA / rule / "gagal").rglob("*"):
            if src.is_file() and src.name != "harapan.yml":
                rel = src.relative_to(DATA / rule / "gagal")
                if rel.suffix == ".md":  # same file name in several fixtures: keep them apart
                    rel = rel.with_name(f"{rule}.md")
                dst = root / rel
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, dst)
    codes = error_codes(run(root))
    assert {"date-offset", "category-unknown", "html-forbidden", "takedown-date",
            "registry"} <= codes


def test_html_rules_catch_obfuscation(tmp_path: Path) -> None:
    root = tree(tmp_path)
    path = root / "content/33/pemkab-cilacap/2025/jembatan-karangsari-diresmikan.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + '\n<a href="JaVa&#x09;Script:alert(1)">x</a>\n<STYLE>p{}</STYLE>\n'
                    "<svg onload=alert(1)>\n[ref]: javascript:alert(2)\n", encoding="utf-8")
    codes = [p.code for p in run(root).errors]
    assert codes.count("html-javascript") == 2
    assert "html-forbidden" in codes and "html-event" in codes


def test_image_byte_limit(tmp_path: Path) -> None:
    root = tree(tmp_path)
    big = root / "content/images/33/pemkab-cilacap/jembatan-karangsari.jpg"
    big.write_bytes(big.read_bytes() + b"\0" * 1_100_000)
    problems = [p for p in run(root).errors if p.code == "image-size"]
    assert len(problems) == 1 and "KB" in problems[0].message


def test_cli_check_prints_and_counts(tmp_path: Path) -> None:
    root = tree(tmp_path, DATA / "date-offset" / "gagal")
    console = Console(record=True, width=200)
    n = cli.check(root / "sources", root / "content", root / "takedowns.yml", now=NOW,
                  console=console, github=False)
    out = console.export_text()
    assert n == 1
    assert "pasar-murah-ramadan.md:2" in out and "zona waktu" in out and "Perbaikan:" in out
    assert "1 masalah ditemukan" in out


def test_cli_check_ok_and_github_annotations(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    root = tree(tmp_path)
    console = Console(record=True, width=200)
    assert cli.check(root / "sources", root / "content", root / "takedowns.yml", now=NOW,
                     console=console) == 0
    assert "Semua berkas valid: 2 sumber, 2 artikel, 2 penarikan" in console.export_text()
    monkeypatch.chdir(root)
    broken = tree(tmp_path / "b", DATA / "category-unknown" / "gagal")
    monkeypatch.chdir(broken)
    cli.check("sources", "content", "takedowns.yml", now=NOW, console=Console(record=True),
              github=True)
    annotations = [line for line in capsys.readouterr().out.splitlines() if line.startswith("::")]
    assert annotations == [annotations[0]]
    assert annotations[0].startswith(
        "::error file=content/33/pemkab-cilacap/2025/pasar-murah-ramadan.md,line=4::")
    assert "olahraga" in annotations[0]


def test_missing_content_folder_is_fine(tmp_path: Path) -> None:
    root = tree(tmp_path)
    shutil.rmtree(root / "content")
    report = run(root)
    assert report.errors == [] and report.article_count == 0


def test_category_accepts_id_or_label_and_docs_list_every_id(tmp_path: Path) -> None:
    from warta.contrib import categories

    root = tree(tmp_path)
    path = root / "content/33/pemkab-cilacap/2025/jembatan-karangsari-diresmikan.md"
    text = path.read_text(encoding="utf-8")
    for written in ("pariwisata-budaya", "Pariwisata & Budaya", "KESEHATAN", "Umum"):
        path.write_text(text.replace("Category: infrastruktur", f"Category: {written}"),
                        encoding="utf-8")
        assert run(root).errors == [], written
    guide = (Path(__file__).parents[2] / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for cid in categories.vocabulary():
        assert f"`{cid}`" in guide, cid


def test_duplicates_name_both_files(tmp_path: Path) -> None:
    root = tree(tmp_path)
    for rule in ("source-duplicate-homepage", "source-duplicate-pemda"):
        for src in (DATA / rule / "gagal").rglob("*.yml"):
            if src.name != "harapan.yml":
                dst = root / src.relative_to(DATA / rule / "gagal")
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, dst)
    console = Console(record=True, width=300)
    n = cli.check(root / "sources", root / "content", root / "takedowns.yml", now=NOW,
                  console=console)
    out = console.export_text()
    assert n == 2
    home = next(line for line in out.splitlines() if "setda-cilacap.yml" in line)
    assert "sources/33/pemkab-cilacap.yml" in home and "http://www.cilacapkab.go.id/" in home
    pemda = next(line for line in out.splitlines() if "pemkot-cilacap.yml" in line)
    assert "sources/33/pemkab-cilacap.yml" in pemda and "Kabupaten Cilacap (33.01)" in pemda
    assert "satu wilayah hanya punya satu berkas pemerintah daerah" in out
