"""The scheduled CI workflow: valid GitHub Actions syntax and the keys the hourly run relies on."""

from __future__ import annotations

import subprocess
import sys

import yaml

from tests.conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "hourly.yml"


def test_workflow_has_schedule_dispatch_and_runs_hourly() -> None:
    doc = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    on = doc[True] if True in doc else doc["on"]  # YAML 1.1 reads the key `on` as True
    cron = on["schedule"][0]["cron"].split()
    assert len(cron) == 5 and cron[1:] == ["*", "*", "*", "*"] and cron[0].isdigit()
    assert "workflow_dispatch" in on
    assert on["workflow_dispatch"]["inputs"]["allow_empty"]["type"] == "boolean"
    assert doc["permissions"]["contents"] == "write"
    assert doc["concurrency"]["cancel-in-progress"] is False
    job = doc["jobs"]["hourly"]
    assert job["timeout-minutes"] <= 60
    runs = "\n".join(step.get("run", "") for step in job["steps"])
    assert "invoke hourly --data-remote origin" in runs
    assert "pip install -r requirements.txt" in runs
    uses = [step.get("uses", "") for step in job["steps"]]
    assert any(u.startswith("actions/checkout@") for u in uses)
    assert any(u.startswith("actions/setup-python@") for u in uses)
    assert any(u.startswith("actions/cache/restore@") for u in uses)
    assert any(u.startswith("actions/cache/save@") for u in uses)
    python = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/setup-python"))
    assert python["with"]["python-version"] == "3.11"


def test_workflow_matches_the_github_actions_schema() -> None:
    """check-jsonschema ships the SchemaStore workflow schema: no network needed."""
    proc = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
         str(WORKFLOW)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
