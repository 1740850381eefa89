"""Publish targets and what each one can hold.

``WARTA_PUBLISH_TARGET`` names a target: ``gh-pages``, ``dir:/srv/warta``,
``rsync:user@host:/srv/warta`` or ``rclone`` (``rclone:remote:bucket/path``,
or the remote in ``WARTA_RCLONE_REMOTE``). Verification refuses a site that
does not fit its target before anything is pushed, so a hub that outgrew
GitHub Pages gets a clear message instead of a failed push half an hour in.

:data:`TARGET_LIMITS` is the one table of those limits; ``WARTA_PUBLISH_LIMITS``
overrides single values (``{"gh-pages": {"site_bytes": ...}}``) when a host
changes its rules.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ..core.messages import PUBLISH_TARGET_UNKNOWN
from ..core.settings import setting

KINDS = ("gh-pages", "dir", "rsync", "rclone")


class PublishError(RuntimeError):
    """Publishing failed or cannot start; the message is for operators (the old site stays online)."""


@dataclass(frozen=True, slots=True)
class Target:
    kind: str  # one of KINDS
    location: str = ""

    def __str__(self) -> str:
        return self.kind if not self.location else f"{self.kind}:{self.location}"


def parse_target(value: str) -> Target:
    """``"rsync:user@host:/srv"`` → ``Target("rsync", "user@host:/srv")``; raises PublishError."""
    value = (value or "").strip()
    if value in ("gh-pages", "ghp"):
        return Target("gh-pages")
    if value == "rclone":
        return Target("rclone")  # the remote comes from WARTA_RCLONE_REMOTE
    kind, _, location = value.partition(":")
    if kind in ("dir", "rsync", "rclone") and location:
        return Target(kind, location)
    raise PublishError(PUBLISH_TARGET_UNKNOWN.format(value=value))


@dataclass(frozen=True, slots=True)
class TargetLimits:
    """What one target accepts; None means no limit worth checking before a publish."""

    site_bytes: int | None = None
    """Sum of the sizes of every file of the site."""
    file_bytes: int | None = None
    """Size of the largest single file."""

    @classmethod
    def from_dict(cls, base: TargetLimits, values: dict[str, Any]) -> TargetLimits:
        known = {k: (None if v is None else int(v)) for k, v in values.items()
                 if k in ("site_bytes", "file_bytes")}
        return replace(base, **known)


TARGET_LIMITS: dict[str, TargetLimits] = {
    # GitHub Pages: a published site may be at most 1 GB, and git pushes to GitHub
    # reject any file over 100 MiB.
    "gh-pages": TargetLimits(site_bytes=1_000_000_000, file_bytes=100 * 1024 * 1024),
    # A folder or a server over rsync holds what its disk holds.
    "dir": TargetLimits(),
    "rsync": TargetLimits(),
    # S3-compatible storage: objects up to 5 TiB (rclone uploads large files in parts).
    "rclone": TargetLimits(file_bytes=5 * 1024 ** 4),
}


def target_kind(value: str | Target) -> str | None:
    """The kind of a target setting, or None when it names no known target."""
    if isinstance(value, Target):
        return value.kind
    try:
        return parse_target(value).kind
    except PublishError:
        return None


def limits_for(target: str | Target, settings: dict[str, Any] | None = None) -> TargetLimits:
    """The limits of ``target``: :data:`TARGET_LIMITS` with ``WARTA_PUBLISH_LIMITS`` on top."""
    kind = target_kind(target)
    if kind is None:
        return TargetLimits()
    base = TARGET_LIMITS.get(kind, TargetLimits())
    override = (setting(settings or {}, "WARTA_PUBLISH_LIMITS") or {}).get(kind)
    return TargetLimits.from_dict(base, override) if override else base
