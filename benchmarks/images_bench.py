"""Image pipeline figures. Prints; asserts nothing.

    .venv/bin/python benchmarks/images_bench.py [--count 1000] [--workers 2]

1. Bytes per item, original vs served: the demo photos (demo/images/) and
   generated phone-like 12-megapixel photos. "Served" is what a phone
   downloads for a lead image: the 640 w WebP picked from the srcset (a
   360–412 CSS px screen at 1.5–2× density); the JPEG fallback and 1024 w are
   shown too.
2. Time to process N new images end to end: N distinct URLs on a local HTTP
   server (127.0.0.1), 12 MP phone JPEGs of 2–4 MB, downloaded, validated,
   resized to 3 widths × (WebP + JPEG) + a social card. Then the same N again
   (the incremental case: nothing to do).
3. Peak memory of a batch that contains a 50-megapixel image (an 8160×6120
   phone JPEG, and separately a 50 MP PNG that cannot be draft-decoded), run
   in a fresh process so ``ru_maxrss`` is that batch's alone.
"""

from __future__ import annotations

import argparse
import http.server
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from PIL import ExifTags, Image, ImageDraw, ImageFilter  # noqa: E402
from warta.images.download import DownloadPolicy  # noqa: E402
from warta.images.process import ProcessSpec, process_file  # noqa: E402
from warta.images.run import ImageConfig, run_images  # noqa: E402


def phone_photo(width: int, height: int, seed: int, fmt: str = "JPEG") -> bytes:
    """A photo-like image with texture, so it compresses like a phone photo (not like a flat fill)."""
    rnd = random.Random(seed)
    small = Image.new("RGB", (width // 8, height // 8))
    draw = ImageDraw.Draw(small)
    for _ in range(120):
        x, y = rnd.randrange(small.width), rnd.randrange(small.height)
        r = rnd.randint(4, small.width // 6)
        draw.ellipse([x - r, y - r, x + r, y + r],
                     fill=tuple(rnd.randint(30, 230) for _ in range(3)))
    im = small.filter(ImageFilter.GaussianBlur(3)).resize((width, height), Image.Resampling.BILINEAR)
    grain = Image.effect_noise((width, height), 28).convert("RGB")
    im = Image.blend(im, grain, 0.18)
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Bench"
    exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "S",
                                  ExifTags.GPS.GPSLatitude: (7.0, 0.0, 1.0)}
    buf = io.BytesIO()
    if fmt == "JPEG":
        im.save(buf, "JPEG", quality=92, exif=exif)
    else:
        im.save(buf, fmt, compress_level=1)
    return buf.getvalue()


class _Server:
    """Serve ``files[i % len(files)]`` at ``/img/<i>.jpg`` on 127.0.0.1 (ephemeral port)."""

    def __init__(self, files: list[bytes]):
        blobs = files

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                try:
                    n = int(self.path.rsplit("/", 1)[1].split(".")[0])
                except ValueError:
                    self.send_error(404)
                    return
                body = blobs[n % len(blobs)]
                self.send_response(200)
                self.send_header("Content-Type", "image/jpeg")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, i: int) -> str:
        return f"http://127.0.0.1:{self.port}/img/{i}.jpg"


def _config(cache: Path, workers: int, **dl: object) -> ImageConfig:
    policy = DownloadPolicy(allow_private=True, total_timeout=60, **dl)  # type: ignore[arg-type]
    return ImageConfig(cache_dir=cache, download=policy, workers=workers)


def served_bytes(cache: Path, outcomes: dict) -> list[tuple[int, int, int, int]]:
    rows = []
    for out in outcomes.values():
        img = out.image
        if img is None:
            continue
        v640 = img.variant(640)
        rows.append((img.original_bytes, v640.webp_bytes, v640.jpeg_bytes, img.variant(1024).webp_bytes))
    return rows


def print_bytes(title: str, rows: list[tuple[int, int, int, int]]) -> None:
    if not rows:
        print(f"{title}: no images")
        return
    n = len(rows)
    orig = sum(r[0] for r in rows) / n
    webp = sum(r[1] for r in rows) / n
    jpeg = sum(r[2] for r in rows) / n
    big = sum(r[3] for r in rows) / n
    print(f"{title} ({n} images)")
    print(f"  original            {orig / 1024:9.1f} KiB per item")
    print(f"  served 640w WebP    {webp / 1024:9.1f} KiB per item  (saved {orig - webp:,.0f} B, "
          f"{100 * (1 - webp / orig):.1f}%)")
    print(f"  fallback 640w JPEG  {jpeg / 1024:9.1f} KiB per item  (saved {100 * (1 - jpeg / orig):.1f}%)")
    print(f"  1024w WebP          {big / 1024:9.1f} KiB per item")


def bench_bytes(tmp: Path, workers: int) -> None:
    demo = sorted((ROOT / "demo" / "images").glob("*.jpg"))
    cfg = ImageConfig(cache_dir=tmp / "demo-cache",
                      download=DownloadPolicy(allow_file=True), workers=workers)
    outcomes, _ = run_images([p.as_uri() for p in demo], cfg)
    print_bytes("1. Demo set (demo/images/, generated scenes)", served_bytes(cfg.cache_dir, outcomes))
    photos = [phone_photo(4032, 3024, seed) for seed in range(6)]
    srv = _Server(photos)
    cfg = _config(tmp / "phone-cache", workers)
    outcomes, _ = run_images([srv.url(i) for i in range(len(photos))], cfg)
    print_bytes("   Phone-like 12 MP JPEGs (4032×3024, q92, EXIF+GPS)", served_bytes(cfg.cache_dir, outcomes))
    srv.httpd.shutdown()


def bench_throughput(tmp: Path, count: int, workers: int) -> None:
    photos = [phone_photo(4032, 3024, 100 + seed) for seed in range(12)]
    sizes = [len(p) for p in photos]
    srv = _Server(photos)
    cfg = _config(tmp / "throughput-cache", workers, concurrency=16)
    urls = [srv.url(i) for i in range(count)]
    t0 = time.perf_counter()
    outcomes, report = run_images(urls, cfg)
    elapsed = time.perf_counter() - t0
    ok = sum(1 for o in outcomes.values() if o.status == "ok")
    t1 = time.perf_counter()
    _, again = run_images(urls, cfg)
    second = time.perf_counter() - t1
    srv.httpd.shutdown()
    print(f"\n2. {count} new images (12 MP JPEG, {min(sizes) / 1e6:.1f}–{max(sizes) / 1e6:.1f} MB each), "
          f"{workers} worker(s)")
    print(f"  processed {report.processed}, ok {ok}, failed {report.failed}")
    print(f"  total {elapsed:.1f} s  →  {1000 * elapsed / count:.0f} ms per image, "
          f"{count / elapsed:.1f} images/s; projected 1,000: {1000 * elapsed / count:.0f} s")
    sample = tmp / "cpu-sample.jpg"
    sample.write_bytes(photos[0])
    spec = ProcessSpec()
    c0 = time.process_time()
    for i in range(10):
        process_file(sample, tmp / "cpu-out", f"s{i}", spec)
    cpu = (time.process_time() - c0) / 10
    print(f"  CPU per image (in-process sample of 10, time.process_time): {1000 * cpu:.0f} ms → "
          f"1,000 images ≈ {1000 * cpu / workers:.0f} s on {workers} idle core(s)")
    print(f"  second run (all cached): {second:.2f} s, processed {again.processed}, "
          f"reused {again.reused}")


def _rss_kib(pid: int, field: str = "VmRSS") -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _descendants(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                parents[int(d.name)] = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    out, frontier = [], [root]
    while frontier:
        pid = frontier.pop()
        kids = [c for c, p in parents.items() if p == pid]
        out.extend(kids)
        frontier.extend(kids)
    return out


class MemorySampler:
    """Poll /proc every 20 ms: peak RSS of this process + all descendants (pool workers)."""

    def __init__(self) -> None:
        self.peak_total = 0
        self.peak_worker = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            kids = [_rss_kib(p) for p in _descendants(me)]
            self.peak_total = max(self.peak_total, _rss_kib(me) + sum(kids))
            self.peak_worker = max([self.peak_worker, *kids])
            time.sleep(0.02)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def memory_child(folder: Path, workers: int) -> None:
    """Run in a fresh process: process the batch in ``folder`` (file: URLs); print JSON figures."""
    files = sorted(folder.glob("*.img"))
    cfg = ImageConfig(cache_dir=folder / "cache", workers=workers,
                      download=DownloadPolicy(allow_file=True, max_bytes=400 * 1024 * 1024))
    t0 = time.perf_counter()
    with MemorySampler() as mem:
        outcomes, report = run_images([f.as_uri() for f in files], cfg)
    print(json.dumps({
        "peak_total_mib": round(mem.peak_total / 1024, 1),
        "peak_worker_mib": round(mem.peak_worker / 1024, 1),
        "seconds": round(time.perf_counter() - t0, 2),
        "processed": report.processed, "failed": report.failed,
        "big_ok": outcomes[files[0].as_uri()].status == "ok", "max_in_flight": report.max_in_flight,
        "parent_peak_mib": round(_rss_kib(os.getpid(), "VmHWM") / 1024, 1),
    }))


def bench_memory(tmp: Path, workers: int) -> None:
    print(f"\n3. Peak memory, batch of 8 with one 50 MP image (8160×6120), {workers} worker(s)")
    small = [phone_photo(4032, 3024, 200 + i) for i in range(7)]
    for kind in ("JPEG", "PNG"):
        folder = tmp / f"mem-{kind.lower()}"
        folder.mkdir()
        big = phone_photo(8160, 6120, 7, kind)
        (folder / "00-big.img").write_bytes(big)
        for i, blob in enumerate(small, 1):
            (folder / f"{i:02d}.img").write_bytes(blob)
        out = subprocess.run([sys.executable, __file__, "--memory-child", str(folder),
                              "--workers", str(workers)],
                             capture_output=True, text=True, check=True)
        fig = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"  50 MP {kind:4} ({len(big) / 1e6:.1f} MB) + 7 × 12 MP JPEG: big ok={fig['big_ok']}, "
              f"processed {fig['processed']}, batch {fig['seconds']} s, most at once "
              f"{fig['max_in_flight']}")
        print(f"    peak RSS: parent + workers together {fig['peak_total_mib']} MiB, largest worker "
              f"{fig['peak_worker_mib']} MiB, parent alone (VmHWM) {fig['parent_peak_mib']} MiB")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--memory-child", help=argparse.SUPPRESS)
    ap.add_argument("--skip", default="", help="comma list of bytes,throughput,memory")
    args = ap.parse_args()
    if args.memory_child:
        memory_child(Path(args.memory_child), args.workers)
        return
    skip = set(filter(None, args.skip.split(",")))
    with tempfile.TemporaryDirectory(prefix="warta-img-bench-") as d:
        tmp = Path(d)
        if "bytes" not in skip:
            bench_bytes(tmp, args.workers)
        if "throughput" not in skip:
            bench_throughput(tmp, args.count, args.workers)
        if "memory" not in skip:
            bench_memory(tmp, args.workers)


if __name__ == "__main__":
    main()
