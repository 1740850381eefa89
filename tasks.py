"""Operator tasks (``invoke --list``). Thin: options in, ``warta.ops.cli`` does the work."""

from __future__ import annotations

import functools
import importlib.util
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

from invoke import task
from warta.ops import cli

ROOT = Path(__file__).resolve().parent

DEMO_VAR = ROOT / "var" / "demo"
"""The demo as of the build day (demo/make_feeds.py ``materialise``): registry, feeds, images."""
DEMO_DB = ROOT / "var" / "demo.sqlite"
DEMO_IMAGE_SETTINGS = {"WARTA_IMAGES_OFFLINE": True, "WARTA_IMAGE_ALLOW_FILE": True}
"""The demo has no internet: demo/images/ via file: URLs, real domains get placeholders."""


@task(help={"sources": "folder registri sumber (bawaan: sources/)",
            "db": "berkas arsip SQLite (bawaan: var/warta.sqlite)",
            "force": "coba juga feed yang sedang ditunda karena gagal berulang"})
def fetch(c, sources="sources", db="var/warta.sqlite", force=False):
    """Ambil semua feed sumber ke dalam arsip."""
    cli.fetch(sources, db, force=force)


@task(help={"offline": "bangun dari arsip saja, tanpa mengambil feed",
            "sources": "folder registri sumber", "db": "berkas arsip SQLite",
            "publish": "pakai publishconf.py (URL produksi)", "output": "folder hasil",
            "full": "bangun ulang semua halaman (bawaan: hanya halaman yang berubah)",
            "search": "buat indeks pencarian Pagefind (bawaan: ya; --no-search untuk melewati)"})
def build(c, offline=False, sources="sources", db="var/warta.sqlite", publish=False,
          output="output", full=False, search=True):
    """Ambil feed (kecuali --offline) lalu bangun situs statis dan indeks pencariannya."""
    if not offline:
        cli.fetch(sources, db)
    cli.build(settings_file="publishconf.py" if publish else "pelicanconf.py",
              sources_dir=sources, db=db, output=output, full=full, search=search,
              overrides={"WARTA_IMAGES_OFFLINE": True} if offline else None)


@task(help={"port": "port (bawaan 8000)", "output": "folder hasil"})
def serve(c, port=8000, output="output"):
    """Sajikan folder hasil di http://127.0.0.1:8000."""
    cli.serve(output, port=int(port))


@functools.cache
def demo_feeds() -> ModuleType:
    """demo/make_feeds.py, which lives with the demo's texts rather than in the plugin."""
    spec = importlib.util.spec_from_file_location("make_feeds", ROOT / "demo" / "make_feeds.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@task(help={"port": "port (bawaan 8000)", "no_serve": "hanya bangun, jangan sajikan"})
def demo(c, port=8000, no_serve=False):
    """Bangun hub demo dari feed contoh di demo/ (tanpa internet, bertanggal hari ini) dan sajikan."""
    registry = demo_feeds().materialise(DEMO_VAR, datetime.now(UTC))
    # Yesterday's demo archive holds the same reports under yesterday's dates: start afresh.
    for suffix in ("", "-wal", "-shm"):
        DEMO_DB.with_name(DEMO_DB.name + suffix).unlink(missing_ok=True)
    cli.fetch(registry, DEMO_DB)
    cli.build(sources_dir=registry, db=DEMO_DB, output="output", overrides=DEMO_IMAGE_SETTINGS,
              search=True)
    if not no_serve:
        cli.serve("output", port=int(port))


@task(help={"sources": "folder registri sumber (bawaan: sources/)",
            "content": "folder artikel lokal (bawaan: content/)",
            "takedowns": "daftar penarikan berita (bawaan: takedowns.yml)",
            "github": "tampilkan juga sebagai anotasi GitHub Actions (untuk CI)"})
def check(c, sources="sources", content="content", takedowns="takedowns.yml", github=False):
    """Periksa registri sumber, artikel lokal dan takedowns.yml — semua masalah sekaligus."""
    problems = cli.check(sources, content, takedowns, github=github)
    if problems:
        raise SystemExit(1)


@task(help={"sources": "folder registri sumber", "db": "berkas arsip SQLite",
            "output": "folder hasil (tahap sebelum terbit)",
            "target": "tujuan terbit: gh-pages | dir:/folder | rsync:user@host:/folder | rclone "
                      "(bawaan: WARTA_PUBLISH_TARGET)",
            "data_remote": "remote git yang menyimpan cabang data arsip (bawaan: WARTA_DATA_REMOTE; "
                           "kosong = tanpa cabang data)",
            "allow_empty": "izinkan terbit dari arsip kosong (hanya untuk putaran pertama)",
            "no_publish": "bangun dan verifikasi saja, jangan terbitkan"})
def hourly(c, sources="sources", db="var/warta.sqlite", output="output", target=None,
           data_remote=None, allow_empty=False, no_publish=False):
    """Putaran per jam: kunci, ambil, bangun (publishconf), pascaproses, verifikasi, terbitkan."""
    from warta.ops import hourly as run

    result = run.run_hourly(run.HourlyOptions(
        sources_dir=sources, db=db, output=output, repo=ROOT, target=target,
        data_remote=data_remote, allow_empty=allow_empty, publish=not no_publish))
    raise SystemExit(result.exit_code)


@task(help={"output": "folder hasil yang akan diterbitkan",
            "target": "gh-pages | dir:/folder | rsync:user@host:/folder | rclone[:remote:bucket]",
            "no_verify": "lewati pemeriksaan tautan (tidak disarankan)"})
def publish(c, output="output", target=None, no_verify=False):
    """Terbitkan folder hasil (ghp-import ke cabang gh-pages, atau folder/rsync)."""
    from warta.ops import hourly as run

    raise SystemExit(run.publish_output(output, target=target, repo=ROOT, verify=not no_verify))


@task(help={"output": "folder hasil yang diperiksa"})
def verify(c, output="output"):
    """Periksa situs hasil: halaman hilang, beranda berisi berita, tautan internal."""
    from warta.ops import hourly as run

    raise SystemExit(run.verify_output(output))


@task(help={"db": "berkas arsip SQLite (bawaan: var/warta.sqlite)"})
def stories(c, db="var/warta.sqlite"):
    """Kelompokkan berita arsip yang belum masuk cerita (tanpa mengambil feed)."""
    cli.stories(db)


@task(help={"source": "id sumber di registri, misalnya pemkab-cilacap",
            "sources": "folder registri sumber (bawaan: sources/)",
            "content": "folder artikel lokal (bawaan: content/)"},
      positional=["title"])
def new(c, title, source, sources="sources", content="content"):
    """Buat artikel baru: invoke new --source ID "Judul berita"."""
    try:
        path = cli.new_article(source, title, sources_dir=sources, content_dir=content)
    except cli.UnknownSource as exc:
        print(exc, file=sys.stderr)
        raise SystemExit(1) from None
    print(cli.messages.SCAFFOLD_CREATED.format(path=path))


@task
def codeowners(c):
    """Tulis ulang .github/CODEOWNERS dari daftar provinsi (tim humas per folder provinsi)."""
    print(cli.write_codeowners(ROOT / ".github" / "CODEOWNERS"))


@task
def test(c):
    """Jalankan seluruh pengujian."""
    raise SystemExit(subprocess.call([sys.executable, "-m", "pytest", "-q"], cwd=ROOT))


@task(help={"target": "alamat beranda situs humas (misalnya https://contoh.go.id/), id sumber, "
                      "atau berkas/folder registri (misalnya sources/11)",
            "write": "tulis feed yang ditemukan ke berkas registri yang berisi 'discover: true' "
                     "(komentar dan ref tetap; 'discover: true' dihapus)",
            "sources": "folder registri sumber (bawaan: sources/)",
            "db": "arsip SQLite: cara baca yang sudah berhasil di sana dipakai tanpa mencari "
                  "ulang (bawaan: var/warta.sqlite)"})
def discover(c, target, write=False, sources="sources", db="var/warta.sqlite"):
    """Cari feed, API WordPress dan sitemap situs; cetak isian registri terbaik, atau tulis (--write)."""
    raise SystemExit(cli.discover(target, write=write, sources_dir=sources, db=db))


@task(help={"output": "folder hasil yang sudah dibangun"})
def search_index(c, output="output"):
    """Buat ulang indeks pencarian Pagefind untuk situs yang sudah dibangun."""
    from warta.search.pagefind import index_site

    report = index_site(output, {"WARTA_SEARCH": True}, incremental=False)
    print(f"Indeks pencarian: {report.pages} halaman, {len(report.bundles)} bundel, "
          f"{report.files} berkas, {report.bytes / 1e6:.1f} MB, {report.seconds:.1f} dtk")
