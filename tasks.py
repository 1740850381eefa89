"""Operator tasks (``invoke --list``). Thin: options in, ``warta.cli`` does the work."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from invoke import task

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "plugins"))

from warta import cli  # noqa: E402

DEMO_SOURCES = ROOT / "demo" / "sources"
DEMO_DB = ROOT / "var" / "demo.sqlite"


@task(help={"sources": "folder registri sumber (bawaan: sources/)",
            "db": "berkas arsip SQLite (bawaan: var/warta.sqlite)",
            "force": "coba juga feed yang sedang ditunda karena gagal berulang"})
def fetch(c, sources="sources", db="var/warta.sqlite", force=False):
    """Ambil semua feed sumber ke dalam arsip."""
    cli.fetch(sources, db, force=force)


@task(help={"offline": "bangun dari arsip saja, tanpa mengambil feed",
            "sources": "folder registri sumber", "db": "berkas arsip SQLite",
            "publish": "pakai publishconf.py (URL produksi)", "output": "folder hasil",
            "search": "buat indeks pencarian Pagefind (bawaan: ya; --no-search untuk melewati)"})
def build(c, offline=False, sources="sources", db="var/warta.sqlite", publish=False,
          output="output", search=True):
    """Ambil feed (kecuali --offline) lalu bangun situs statis dan indeks pencariannya."""
    if not offline:
        cli.fetch(sources, db)
    cli.build(settings_file="publishconf.py" if publish else "pelicanconf.py",
              sources_dir=sources, db=db, output=output, search=search)


@task(help={"port": "port (bawaan 8000)", "output": "folder hasil"})
def serve(c, port=8000, output="output"):
    """Sajikan folder hasil di http://127.0.0.1:8000."""
    cli.serve(output, port=int(port))


@task(help={"port": "port (bawaan 8000)", "no_serve": "hanya bangun, jangan sajikan"})
def demo(c, port=8000, no_serve=False):
    """Bangun hub demo dari feed contoh di demo/ (tanpa internet) dan sajikan."""
    cli.fetch(DEMO_SOURCES, DEMO_DB)
    cli.build(sources_dir=DEMO_SOURCES, db=DEMO_DB, output="output")
    if not no_serve:
        cli.serve("output", port=int(port))


@task(help={"sources": "folder registri sumber"})
def check(c, sources="sources"):
    """Periksa registri sumber (dan artikel lokal) — semua masalah sekaligus."""
    problems = cli.check(sources)
    if problems:
        raise SystemExit(1)


@task
def test(c):
    """Jalankan seluruh pengujian."""
    raise SystemExit(subprocess.call([sys.executable, "-m", "pytest", "-q"], cwd=ROOT))


@task(help={"output": "folder hasil yang sudah dibangun"})
def search_index(c, output="output"):
    """Buat ulang indeks pencarian Pagefind untuk situs yang sudah dibangun."""
    from warta.search import index_site

    report = index_site(output, {"WARTA_SEARCH": True})
    print(f"Indeks pencarian: {report.pages} halaman, {len(report.bundles)} bundel, "
          f"{report.files} berkas, {report.bytes / 1e6:.1f} MB, {report.seconds:.1f} dtk")
