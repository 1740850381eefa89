"""Helpers for hourly-run tests: an offline registry with file: feeds and local git remotes."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import ROOT, rss, write_source


def news_items(source: str, count: int, *, start_day: int = 1) -> list[dict[str, str]]:
    """``count`` distinct dated items in realistic humas style."""
    topics = ["rapat koordinasi penanganan banjir", "vaksinasi anak sekolah", "pasar murah jelang "
              "Ramadan", "perbaikan jalan desa", "pelatihan UMKM digital", "festival budaya daerah"]
    out = []
    for i in range(count):
        day = start_day + i
        out.append({
            "title": f"Pemkab gelar {topics[i % len(topics)]} tahap {i + 1}",
            "link": f"https://{source}.go.id/berita/{i + 1}",
            "guid": f"{source}-{i + 1}",
            "date": f"Mon, {day:02d} Nov 2026 09:00:00 +0700",
            "body": f"<p>Kegiatan ke-{i + 1} dihadiri perangkat daerah dan warga setempat.</p>",
        })
    return out


def make_registry(base: Path, feeds: dict[str, int]) -> Path:
    """A registry folder under ``base`` with one source per name, each with N items."""
    reg = base / "sources"
    feed_dir = base / "feeds"
    feed_dir.mkdir(parents=True, exist_ok=True)
    for sid, count in feeds.items():
        (feed_dir / f"{sid}.xml").write_text(rss(news_items(sid, count)), encoding="utf-8")
        write_source(reg / "33", sid, [f"file:../feeds/{sid}.xml"])
    return reg


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout.strip()


@dataclass
class Remote:
    """A bare repository standing in for GitHub, and fresh clones standing in for runners."""

    bare: Path

    @classmethod
    def create(cls, base: Path) -> Remote:
        bare = base / "remote.git"
        subprocess.run(["git", "init", "--quiet", "--bare", "-b", "main", str(bare)], check=True)
        seed = base / "seed"
        subprocess.run(["git", "init", "--quiet", "-b", "main", str(seed)], check=True)
        (seed / "README.md").write_text("Warta\n")
        git(seed, "add", "README.md")
        git(seed, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "--quiet", "-m", "init")
        git(seed, "push", "--quiet", str(bare), "main")
        return cls(bare)

    def runner(self, path: Path) -> Path:
        """A fresh shallow checkout, like actions/checkout on an empty runner."""
        subprocess.run(["git", "clone", "--quiet", "--depth", "1", f"file://{self.bare}",
                        str(path)], check=True)
        return path

    def branches(self) -> set[str]:
        out = git(self.bare, "for-each-ref", "--format=%(refname:short)", "refs/heads")
        return set(out.split())

    def files(self, branch: str) -> set[str]:
        return set(git(self.bare, "ls-tree", "-r", "--name-only", branch).split())

    def head(self, branch: str) -> str:
        return git(self.bare, "rev-parse", f"refs/heads/{branch}")


def options(base: Path, reg: Path, **kw: object):
    """HourlyOptions for a test: everything under ``base``, production settings file."""
    from warta.ops.hourly import HourlyOptions

    content = ROOT / "content"  # the real pages (the theme links to them); Pelican only reads it
    var = kw.pop("var", base / "var")
    defaults: dict[str, object] = dict(
        settings_file=ROOT / "publishconf.py", sources_dir=reg, db=Path(var) / "warta.sqlite",
        output=base / "output", repo=base, data_remote="", quiet=True,
        run_log=Path(var) / "runs.jsonl",
        overrides={"PATH": str(content), "SITEURL": "https://warta.example.id",
                   "FEED_DOMAIN": "https://warta.example.id"},
    )
    defaults.update(kw)
    return HourlyOptions(**defaults)  # type: ignore[arg-type]
