"""Put a verified site online: ``gh-pages`` (ghp-import), a local folder, or rsync.

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

Everything runs as subprocesses with an explicit ``cwd``; nothing here changes
the process's working directory.
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

from ..core.settings import setting
from .verify import MANIFEST_NAME, Manifest, read_manifest


class PublishError(RuntimeError):
    """Publishing failed; the message is for operators (the old site stays online)."""


@dataclass(frozen=True, slots=True)
class Target:
    kind: str  # gh-pages | dir | rsync
    location: str = ""

    def __str__(self) -> str:
        return self.kind if not self.location else f"{self.kind}:{self.location}"


def parse_target(value: str) -> Target:
    value = (value or "").strip()
    if value in ("gh-pages", "ghp"):
        return Target("gh-pages")
    kind, _, location = value.partition(":")
    if kind in ("dir", "rsync") and location:
        return Target(kind, location)
    raise PublishError(
        f"WARTA_PUBLISH_TARGET tidak dikenal: {value!r} — pakai \"gh-pages\", \"dir:/folder\" "
        "atau \"rsync:user@host:/folder\" (unknown publish target)")


@dataclass(frozen=True, slots=True)
class PublishOptions:
    remote: str = "origin"
    branch: str = "gh-pages"
    no_history: bool = True
    cname: str | None = None
    message: str = "Warta: terbitan per jam"

    @classmethod
    def from_settings(cls, settings: dict[str, Any], message: str | None = None) -> PublishOptions:
        return cls(remote=str(setting(settings, "WARTA_PUBLISH_REMOTE")),
                   branch=str(setting(settings, "WARTA_PUBLISH_BRANCH")),
                   no_history=bool(setting(settings, "WARTA_PUBLISH_NO_HISTORY")),
                   cname=setting(settings, "WARTA_PUBLISH_CNAME") or None,
                   message=message or cls.message)


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
            options: PublishOptions | None = None, manifest: Manifest | None = None) -> float:
    """Publish ``output`` to ``target``; returns the seconds it took. Raises PublishError."""
    out = Path(output).resolve()
    if not (out / "index.html").is_file():
        raise PublishError(f"{out} bukan situs yang sudah dibangun (tidak ada index.html)")
    tgt = parse_target(target) if isinstance(target, str) else target
    opts = options or PublishOptions()
    if manifest is not None:
        manifest.write(out / MANIFEST_NAME)
    started = time.perf_counter()
    if tgt.kind == "gh-pages":
        _publish_ghp(out, Path(repo).resolve(), opts)
    elif tgt.kind == "dir":
        _publish_dir(out, Path(tgt.location))
    else:
        _publish_rsync(out, tgt.location)
    return time.perf_counter() - started


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
        raise PublishError("rsync tidak terpasang (apt-get install rsync)")
    dest = location if location.endswith("/") else location + "/"
    _run([rsync, "-a", "--delete", "--delay-updates", f"{out}/", dest])


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
