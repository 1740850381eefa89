"""Put a verified site online: ``gh-pages`` (ghp-import), a local folder, rsync, or rclone.

``WARTA_PUBLISH_TARGET`` picks one:

- ``"gh-pages"`` — ghp-import commits the output folder to the branch
  ``WARTA_PUBLISH_BRANCH`` (``gh-pages``) of the repository at ``repo`` and
  pushes it to ``WARTA_PUBLISH_REMOTE`` (``origin``). Without history by
  default (``WARTA_PUBLISH_NO_HISTORY``): an hourly site would otherwise grow
  the repository by a full tree every hour.
- ``"dir:/srv/warta"`` — copies into a sibling folder, then swaps it in with
  two renames, so a web server never serves a half-copied site.
- ``"rsync:user@host:/path"`` — ``rsync -a --delete --delay-updates``: files
  land in place at the end of the transfer.
- ``"rclone"`` (remote in ``WARTA_RCLONE_REMOTE``) or ``"rclone:remote:bucket/path"``
  — ``rclone sync`` to object storage (any S3-compatible bucket, or any other
  rclone backend), with ``WARTA_RCLONE_FLAGS`` (default ``--checksum
  --fast-list``: one listing request per 1,000 objects and a hash comparison,
  instead of one metadata request per object to read its modification time).
  Objects that were deleted from the site are deleted after every upload.

A site over its target's limits (:mod:`warta.ops.targets`) is refused before
anything is pushed. Everything runs as subprocesses with an explicit ``cwd``;
nothing here changes the process's working directory.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.messages import PUBLISH_RCLONE_NO_REMOTE, PUBLISH_TOOL_MISSING
from ..core.settings import DEFAULTS, setting
from . import linkcheck
from .targets import PublishError, Target, parse_target
from .verify import MANIFEST_NAME, Manifest, limit_reasons, read_manifest, size_of

__all__ = ["PublishError", "PublishOptions", "Target", "parse_target", "publish",
           "target_manifest"]

DEFAULT_RCLONE_FLAGS: tuple[str, ...] = tuple(DEFAULTS["WARTA_RCLONE_FLAGS"])


@dataclass(frozen=True, slots=True)
class PublishOptions:
    remote: str = "origin"
    branch: str = "gh-pages"
    no_history: bool = True
    cname: str | None = None
    message: str = "Warta: terbitan per jam"
    rclone_remote: str = ""
    """``remote:bucket/path`` for the ``rclone`` target (``WARTA_RCLONE_REMOTE``)."""
    rclone_flags: tuple[str, ...] = DEFAULT_RCLONE_FLAGS
    limits: dict[str, Any] | None = None
    """``WARTA_PUBLISH_LIMITS``: overrides of :data:`warta.ops.targets.TARGET_LIMITS`."""

    @classmethod
    def from_settings(cls, settings: dict[str, Any], message: str | None = None) -> PublishOptions:
        return cls(remote=str(setting(settings, "WARTA_PUBLISH_REMOTE")),
                   branch=str(setting(settings, "WARTA_PUBLISH_BRANCH")),
                   no_history=bool(setting(settings, "WARTA_PUBLISH_NO_HISTORY")),
                   cname=setting(settings, "WARTA_PUBLISH_CNAME") or None,
                   message=message or cls.message,
                   rclone_remote=str(setting(settings, "WARTA_RCLONE_REMOTE") or ""),
                   rclone_flags=tuple(map(str, setting(settings, "WARTA_RCLONE_FLAGS") or ())),
                   limits=setting(settings, "WARTA_PUBLISH_LIMITS") or None)


def _run(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None,
         check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if check and proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        raise PublishError(f"{' '.join(cmd[:3])}…: {detail[-1] if detail else proc.returncode}")
    return proc


def git_env(repo: Path) -> dict[str, str]:
    """Environment with a committer identity when the repository has none (CI runners)."""
    env = dict(os.environ)
    name = _run(["git", "config", "user.name"], cwd=repo, check=False).stdout.strip()
    email = _run(["git", "config", "user.email"], cwd=repo, check=False).stdout.strip()
    if not name and "GIT_COMMITTER_NAME" not in env:
        env["GIT_COMMITTER_NAME"] = env.setdefault("GIT_AUTHOR_NAME", "Warta")
    if not email and "GIT_COMMITTER_EMAIL" not in env:
        env["GIT_COMMITTER_EMAIL"] = env.setdefault("GIT_AUTHOR_EMAIL", "warta@localhost")
    return env


def publish(output: Path | str, target: Target | str, *, repo: Path | str = ".",
            options: PublishOptions | None = None, manifest: Manifest | None = None,
            report: dict[str, Any] | None = None) -> float:
    """Publish ``output`` to ``target``; returns the seconds it took. Raises PublishError.

    The site's size is checked against the target's limits first (from
    ``manifest`` when given: verification already measured it). ``report`` is
    filled with what the transfer did, where the tool says (rclone: files and
    bytes sent, objects deleted).
    """
    out = Path(output).resolve()
    if not (out / "index.html").is_file():
        raise PublishError(f"{out} bukan situs yang sudah dibangun (tidak ada index.html)")
    tgt = parse_target(target) if isinstance(target, str) else target
    opts = options or PublishOptions()
    check_fits(out, tgt, opts, manifest)
    if manifest is not None:
        manifest.write(out / MANIFEST_NAME)
    started = time.perf_counter()
    if tgt.kind == "gh-pages":
        _publish_ghp(out, Path(repo).resolve(), opts)
    elif tgt.kind == "dir":
        _publish_dir(out, Path(tgt.location))
    elif tgt.kind == "rsync":
        _publish_rsync(out, tgt.location)
    else:
        stats = publish_rclone(out, tgt.location or opts.rclone_remote, opts.rclone_flags)
        if report is not None:
            report.update(stats)
    return time.perf_counter() - started


def check_fits(out: Path, target: Target, opts: PublishOptions,
               manifest: Manifest | None = None) -> None:
    """Raise PublishError when the site at ``out`` is over ``target``'s limits."""
    if manifest is not None and manifest.bytes:
        total, largest = manifest.bytes, manifest.largest
    else:
        sizes: dict[str, int] = {}
        linkcheck.list_files(out, sizes)
        total, largest = size_of(sizes)
    reasons = limit_reasons(target, {"WARTA_PUBLISH_LIMITS": opts.limits or {}}, total, largest)
    if reasons:
        raise PublishError("; ".join(str(r) for r in reasons))


def _publish_ghp(out: Path, repo: Path, opts: PublishOptions) -> None:
    cmd = [sys.executable, "-m", "ghp_import", "--no-jekyll", "--push", "--force",
           "--remote", opts.remote, "--branch", opts.branch, "--message", opts.message]
    if opts.no_history:
        cmd.append("--no-history")
        # ghp-import only drops the local branch when a remote-tracking ref exists, which a
        # single-branch CI checkout never has: drop it here so the commit really is parentless.
        _run(["git", "update-ref", "-d", f"refs/heads/{opts.branch}"], cwd=repo, check=False)
    if opts.cname:
        cmd += ["--cname", opts.cname]
    cmd.append(str(out))
    _run(cmd, cwd=repo, env=git_env(repo))


def _publish_dir(out: Path, dest: Path) -> None:
    dest = dest.resolve()
    if dest == out or out in dest.parents or dest in out.parents:
        raise PublishError(f"folder tujuan {dest} tidak boleh sama dengan/di dalam folder hasil")
    dest.parent.mkdir(parents=True, exist_ok=True)
    stamp = f"{os.getpid()}-{time.time_ns()}"
    staging = dest.with_name(f".{dest.name}.baru-{stamp}")
    retired = dest.with_name(f".{dest.name}.lama-{stamp}")
    try:
        shutil.copytree(out, staging)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise PublishError(f"gagal menyalin ke {staging}: {exc}") from exc
    had_old = dest.exists()
    if had_old:
        dest.rename(retired)
    try:
        staging.rename(dest)
    except OSError as exc:
        if had_old:
            retired.rename(dest)  # put the last good site back
        shutil.rmtree(staging, ignore_errors=True)
        raise PublishError(f"gagal memasang situs baru di {dest}: {exc}") from exc
    if had_old:
        shutil.rmtree(retired, ignore_errors=True)


def _publish_rsync(out: Path, location: str) -> None:
    rsync = shutil.which("rsync")
    if rsync is None:
        raise PublishError(PUBLISH_TOOL_MISSING.format(tool="rsync"))
    dest = location if location.endswith("/") else location + "/"
    _run([rsync, "-a", "--delete", "--delay-updates", f"{out}/", dest])


def publish_rclone(out: Path, remote: str, flags: tuple[str, ...] = DEFAULT_RCLONE_FLAGS
                   ) -> dict[str, Any]:
    """``rclone sync`` the site to ``remote``; returns what rclone reported doing.

    The remote is configured the way rclone always is: ``rclone config`` or
    ``RCLONE_CONFIG_<NAME>_*`` environment variables (credentials stay out of
    the settings). Deletions run after every upload (rclone's default), so a
    page is never gone before the pages that stop linking to it are up.
    """
    rclone, env, args = _rclone(remote, flags)
    # --verbose: one log line per object copied or deleted, and the totals at the end.
    proc = _run([rclone, "sync", f"{out}/", remote, *args, "--use-json-log", "--verbose"],
                env=env, check=False)
    stats, changed, errors = _rclone_log(proc.stderr)
    if proc.returncode != 0:
        detail = errors[-1] if errors else (proc.stderr.strip().splitlines() or ["?"])[-1]
        raise PublishError(f"rclone sync → {remote}: {detail}")
    return {"tool": "rclone", "transferred": int(stats.get("transfers", len(changed))),
            "bytes": int(stats.get("bytes", 0)), "deleted": int(stats.get("deletes", 0)),
            "checked": int(stats.get("checks", 0)), "changed": changed[:50]}


def _rclone(remote: str, flags: tuple[str, ...]) -> tuple[str, dict[str, str], list[str]]:
    """The rclone binary, its environment and its flags; PublishError when it cannot run."""
    rclone = shutil.which("rclone")
    if rclone is None:
        raise PublishError(PUBLISH_TOOL_MISSING.format(tool="rclone"))
    if not remote:
        raise PublishError(PUBLISH_RCLONE_NO_REMOTE)
    env = dict(os.environ)
    args = list(flags)
    bundle = env.pop("AWS_CA_BUNDLE", None)
    if bundle and not any(a.split("=", 1)[0] == "--ca-cert" for a in args):
        # rclone's S3 backend refuses AWS_CA_BUNDLE (its AWS SDK cannot load a bundle into
        # rclone's own HTTP transport); rclone takes the same bundle as --ca-cert.
        args += ["--ca-cert", bundle]
    return rclone, env, args


RCLONE_NOT_FOUND = (3, 4)
"""rclone's exit codes for a missing directory and a missing file."""


def _rclone_manifest(remote: str, flags: tuple[str, ...]) -> Manifest | None:
    """The manifest inside the site in ``remote`` (None before the first publish)."""
    rclone, env, args = _rclone(remote, flags)
    # Only the connection flags matter for reading one object; sync's own flags are harmless.
    proc = _run([rclone, "cat", f"{remote.rstrip('/')}/{MANIFEST_NAME}", *args], env=env,
                check=False)
    if proc.returncode in RCLONE_NOT_FOUND:
        return None
    if proc.returncode != 0:
        detail = (proc.stderr.strip().splitlines() or [str(proc.returncode)])[-1]
        raise PublishError(f"tidak dapat membaca {remote}/{MANIFEST_NAME}: {detail}")
    try:
        return Manifest.from_json(json.loads(proc.stdout))
    except ValueError:
        return None


def _rclone_log(text: str) -> tuple[dict[str, Any], list[str], list[str]]:
    """The final stats, the objects copied and the error messages of a ``--use-json-log`` run."""
    stats: dict[str, Any] = {}
    changed: list[str] = []
    errors: list[str] = []
    for line in text.splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            if line.strip():
                errors.append(line.strip())
            continue
        if not isinstance(entry, dict):
            continue
        if isinstance(entry.get("stats"), dict):
            stats = entry["stats"]
        msg = str(entry.get("msg", ""))
        if msg.startswith("Copied") and entry.get("object"):
            changed.append(str(entry["object"]))
        if entry.get("level") in ("error", "critical"):
            errors.append(f"{entry.get('object', '')}: {msg}".lstrip(": "))
    return stats, changed, errors


def target_manifest(target: Target | str, *, repo: Path | str = ".",
                    options: PublishOptions | None = None) -> Manifest | None:
    """The manifest of what is online now, read from the target itself (None if unknown).

    Used when ``var/`` has no manifest (a fresh runner whose data branch was
    lost): the live site is then the only baseline left.
    """
    tgt = parse_target(target) if isinstance(target, str) else target
    opts = options or PublishOptions()
    if tgt.kind == "dir":
        return read_manifest(Path(tgt.location) / MANIFEST_NAME)
    if tgt.kind == "rclone":
        return _rclone_manifest(tgt.location or opts.rclone_remote, opts.rclone_flags)
    if tgt.kind != "gh-pages":
        return None
    repo = Path(repo)
    ref = f"refs/heads/{opts.branch}"
    listed = _run(["git", "ls-remote", "--exit-code", opts.remote, ref], cwd=repo, check=False)
    if listed.returncode == 2:
        return None  # no site was ever published
    if listed.returncode != 0:
        raise PublishError(f"tidak dapat membaca {opts.remote} {ref}: {listed.stderr.strip()}")
    _run(["git", "fetch", "--quiet", "--depth", "1", opts.remote, ref], cwd=repo)
    shown = _run(["git", "show", f"FETCH_HEAD:{MANIFEST_NAME}"], cwd=repo, check=False)
    if shown.returncode != 0:
        return None
    try:
        return Manifest.from_json(json.loads(shown.stdout))
    except ValueError:
        return None
