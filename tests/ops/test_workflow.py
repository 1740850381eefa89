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


def test_workflow_can_publish_to_a_bucket_without_a_commit() -> None:
    """Repository variables switch the hourly run to rclone: the target and remote reach
    publishconf.py, rclone is installed only then, credentials come from secrets."""
    doc = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    job = doc["jobs"]["hourly"]
    env = job["env"]
    assert "vars.WARTA_PUBLISH_TARGET" in env["WARTA_PUBLISH_TARGET"]
    assert "vars.WARTA_RCLONE_REMOTE" in env["WARTA_RCLONE_REMOTE"]
    assert "secrets." in env["RCLONE_CONFIG_WARTAS3_SECRET_ACCESS_KEY"]
    install = next(s for s in job["steps"] if "rclone" in s.get("run", ""))
    assert "vars.WARTA_PUBLISH_TARGET == 'rclone'" in install["if"]
    publish = (ROOT / "publishconf.py").read_text(encoding="utf-8")
    assert 'os.environ.get("WARTA_PUBLISH_TARGET")' in publish
    assert 'os.environ.get("WARTA_RCLONE_REMOTE"' in publish


def test_workflow_keeps_the_previous_build_between_runs() -> None:
    """Without the last output and its build state beside it, every hourly run on a throw-away
    runner would be a full build."""
    doc = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps = doc["jobs"]["hourly"]["steps"]
    names = [s.get("name", "") for s in steps]

    def cached(kind: str) -> dict[str, str]:
        return next(s["with"] for s in steps if s.get("uses", "").startswith(f"actions/cache/{kind}@")
                    and "output" in s["with"]["path"].split())

    restore, save = cached("restore"), cached("save")
    for step in (restore, save):
        assert step["path"].split() == ["output", "output.*.json"]
    assert save["key"] == restore["key"] and restore["restore-keys"].strip() == "warta-output-"
    run = next(i for i, s in enumerate(steps) if "invoke hourly" in s.get("run", ""))
    assert names.index("Restore the previous build (speed-up only)") < run < names.index("Save this build")
    assert next(s for s in steps if s.get("name") == "Save this build")["if"] == "always()"
