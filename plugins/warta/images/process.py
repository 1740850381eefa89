"""Pillow work on one image: validate, orient, strip, resize, encode. Worker-side.

Every downloaded file is hostile. So the format is sniffed from the bytes and
only that decoder is allowed to open it; the declared pixel count is checked
*before* any pixel is decoded (a 100 000 × 100 000 PNG is a few kilobytes);
JPEGs are decoded at a reduced scale (``draft``) and everything else is
reduced right after decoding, so a 50-megapixel phone photo never costs more
than one decode at reduced size. Orientation from EXIF is applied, colours are
converted to sRGB with the embedded ICC profile (CMYK from print offices, P3
from phones), then every piece of metadata — EXIF with GPS, XMP, ICC,
comments — is left behind: encoders get only pixels.

Functions here run in worker processes: arguments and results are small
picklable records and nothing raises out of :func:`process_file`.
"""

from __future__ import annotations

import io
import re
import struct
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import ExifTags, Image, ImageCms, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

# Formats accepted and the magic bytes that identify them.
_MAGIC: tuple[tuple[bytes, int, str], ...] = (
    (b"\xff\xd8\xff", 0, "JPEG"),
    (b"\x89PNG\r\n\x1a\n", 0, "PNG"),
    (b"GIF87a", 0, "GIF"),
    (b"GIF89a", 0, "GIF"),
    (b"WEBP", 8, "WEBP"),
)
_AVIF_BRANDS = (b"avif", b"avis", b"mif1")

NEUTRAL_BG = (233, 238, 242)
NEUTRAL_FG = (59, 74, 90)
PLACEHOLDER_SIZE = (1024, 576)
_STOPWORDS = {
    "pemerintah", "provinsi", "kabupaten", "kota", "dinas", "badan", "kantor", "dan", "the",
    "of", "humas", "diskominfo", "pemprov", "pemkab", "pemkot", "republik", "indonesia", "ri",
    "demo", "contoh",
}


@dataclass(frozen=True, slots=True)
class ProcessSpec:
    """What to make of an image. Part of the cache version: changing it reprocesses."""

    widths: tuple[int, ...] = (320, 640, 1024)
    social: tuple[int, int] = (1200, 630)
    max_pixels: int = 100_000_000
    min_side: int = 48
    webp_quality: int = 72
    jpeg_quality: int = 78

    @property
    def signature(self) -> str:
        return (f"w{'-'.join(map(str, self.widths))}s{self.social[0]}x{self.social[1]}"
                f"q{self.webp_quality}-{self.jpeg_quality}")


@dataclass(frozen=True, slots=True)
class MadeFile:
    """One written derivative: file name inside the image's cache folder."""

    width: int
    height: int
    webp: str
    jpeg: str
    webp_bytes: int
    jpeg_bytes: int


@dataclass(frozen=True, slots=True)
class ProcessResult:
    """What a worker reports back. ``error_class`` set means nothing usable was written."""

    width: int = 0
    height: int = 0
    files: tuple[MadeFile, ...] = ()
    social: str | None = None
    social_bytes: int = 0
    format: str | None = None
    error_class: str | None = None
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.error_class is None


class ImageRejected(Exception):
    """A file that is not a usable image; ``error_class`` names why (see messages)."""

    def __init__(self, error_class: str, detail: str = ""):
        super().__init__(f"{error_class}: {detail}")
        self.error_class = error_class
        self.detail = detail


def sniff(head: bytes) -> str | None:
    """Pillow format name from the first bytes, or None: extensions and headers lie."""
    for magic, offset, name in _MAGIC:
        if head[offset: offset + len(magic)] == magic:
            if name == "WEBP" and head[:4] != b"RIFF":
                continue
            return name
    if head[4:8] == b"ftyp" and head[8:12] in _AVIF_BRANDS:
        return "AVIF"
    return None


def decode_budget(width: int, height: int, fmt: str, spec: ProcessSpec) -> int:
    """Bytes the decode of a ``width``×``height`` image will hold (for the memory bound)."""
    scale = 1
    if fmt == "JPEG":
        need = max(max(spec.widths), spec.social[0])
        factor = min(width // need, height // need)
        for s in (8, 4, 2):
            if factor >= s:
                scale = s
                break
    return (width // scale) * (height // scale) * 4 * 3  # decode + two working copies


def _to_srgb(im: Image.Image) -> Image.Image:
    """Apply the embedded ICC profile (CMYK print, Display P3 phones) → sRGB, then drop it."""
    icc = im.info.get("icc_profile")
    if icc and im.mode in ("RGB", "RGBA", "CMYK"):
        out_mode = "RGBA" if im.mode == "RGBA" else "RGB"
        try:
            converted = ImageCms.profileToProfile(
                im, ImageCms.ImageCmsProfile(io.BytesIO(icc)), ImageCms.createProfile("sRGB"),
                outputMode=out_mode)
            if converted is not None:
                return converted
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass  # a broken profile: fall back to the plain conversion below
    return im


def _normalize_mode(im: Image.Image) -> Image.Image:
    """Everything becomes RGB, or RGBA when the image really has transparency."""
    if im.mode in ("I", "I;16", "I;16B", "I;16L", "I;16N", "F"):
        im = im.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    has_alpha = im.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        im.mode in ("P", "L", "RGB") and "transparency" in im.info)
    if has_alpha:
        im = im.convert("RGBA")
        if im.getchannel("A").getextrema() == (255, 255):
            im = im.convert("RGB")  # declared alpha but fully opaque: JPEG-friendly
    elif im.mode != "RGB":
        im = im.convert("RGB")
    return im


def _flatten(im: Image.Image) -> Image.Image:
    """RGBA → RGB on white, for JPEG (a transparent logo must not turn black)."""
    if im.mode != "RGBA":
        return im
    bg = Image.new("RGB", im.size, (255, 255, 255))
    bg.paste(im, mask=im.getchannel("A"))
    return bg


def _target_widths(width: int, widths: tuple[int, ...]) -> list[int]:
    """Configured widths not wider than the image, plus its own width when it is in between."""
    out = [w for w in sorted(widths) if w <= width]
    if width < max(widths) and (not out or width - out[-1] > 32):
        out.append(width)
    return out


def _save_pair(im: Image.Image, out_dir: Path, stem: str, spec: ProcessSpec) -> MadeFile:
    webp = f"{stem}.webp"
    jpeg = f"{stem}.jpg"
    # Encoders are given pixels only: no exif=, icc_profile= or xmp= → nothing leaks.
    im.save(out_dir / webp, "WEBP", quality=spec.webp_quality, method=4)
    _flatten(im).save(out_dir / jpeg, "JPEG", quality=spec.jpeg_quality, optimize=True,
                      progressive=True)
    return MadeFile(im.width, im.height, webp, jpeg, (out_dir / webp).stat().st_size,
                    (out_dir / jpeg).stat().st_size)


def _derivatives(im: Image.Image, out_dir: Path, prefix: str, spec: ProcessSpec,
                 full_width: int, full_height: int) -> tuple[tuple[MadeFile, ...], str, int]:
    out_dir.mkdir(parents=True, exist_ok=True)
    made: list[MadeFile] = []
    current = im
    for w in reversed(_target_widths(full_width, spec.widths)):
        h = max(1, round(full_height * w / full_width))
        if (w, h) != current.size:
            current = current.resize((w, h), Image.Resampling.LANCZOS, reducing_gap=3.0)
        made.append(_save_pair(current, out_dir, f"{prefix}-{w}", spec))
    social_name = f"{prefix}-social.jpg"
    card = ImageOps.fit(_flatten(im), spec.social, Image.Resampling.LANCZOS, centering=(0.5, 0.4))
    card.save(out_dir / social_name, "JPEG", quality=spec.jpeg_quality, optimize=True,
              progressive=True)
    return tuple(sorted(made, key=lambda m: m.width)), social_name, (out_dir / social_name).stat().st_size


def _load(path: Path, spec: ProcessSpec) -> tuple[Image.Image, str, int, int]:
    """Open with the sniffed decoder only, check pixels, decode small, orient."""
    with path.open("rb") as fh:
        head = fh.read(32)
    fmt = sniff(head)
    if fmt is None:
        raise ImageRejected("not_an_image")
    Image.MAX_IMAGE_PIXELS = spec.max_pixels  # Pillow's own bomb guard, as a second line
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(path, formats=[fmt]) as src:
                width, height = src.size
                if width * height > spec.max_pixels:
                    raise ImageRejected("too_many_pixels", f"{width}×{height}")
                if min(width, height) < spec.min_side:
                    raise ImageRejected("too_small", f"{width}×{height}")
                need = max(max(spec.widths), spec.social[0])
                if fmt == "JPEG":
                    src.draft(src.mode, (need, need))
                src.seek(0)
                src.load()
                im: Image.Image = src
                if im.mode not in ("RGB", "RGBA", "L", "LA", "CMYK"):
                    im = _normalize_mode(im)  # palette, 1-bit, 16-bit: reduce needs 8-bit bands
                factor = min(im.width // need, im.height // need)
                im = im.reduce(factor) if factor >= 2 else im.copy()
        except ImageRejected:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ImageRejected("too_many_pixels", str(exc)[:120]) from exc
        except UnidentifiedImageError as exc:
            raise ImageRejected("not_an_image", str(exc)[:120]) from exc
        except (OSError, SyntaxError, ValueError, EOFError, struct.error) as exc:
            raise ImageRejected("corrupt", f"{type(exc).__name__}: {exc}"[:160]) from exc
    if im.getexif().get(ExifTags.Base.Orientation) in (5, 6, 7, 8):
        width, height = height, width  # turned a quarter by EXIF: report the upright size
    oriented = ImageOps.exif_transpose(im)
    if oriented is not None:
        im = oriented
    im = _normalize_mode(_to_srgb(im))
    im.info = {}
    return im, fmt, width, height


def process_file(path: Path, out_dir: Path, prefix: str, spec: ProcessSpec) -> ProcessResult:
    """Validate ``path`` and write its derivatives into ``out_dir`` as ``prefix-…``. Never raises."""
    try:
        im, fmt, width, height = _load(Path(path), spec)
        files, social, social_bytes = _derivatives(im, Path(out_dir), prefix, spec, width, height)
        return ProcessResult(width=width, height=height, files=files, social=social,
                             social_bytes=social_bytes, format=fmt)
    except ImageRejected as exc:
        return ProcessResult(error_class=exc.error_class, detail=exc.detail)
    except MemoryError:
        return ProcessResult(error_class="too_many_pixels", detail="memori tidak cukup")
    except Exception as exc:  # a decoder bug must cost one image, not the build
        return ProcessResult(error_class="corrupt", detail=f"{type(exc).__name__}: {exc}"[:160])


def initials(name: str) -> str:
    """Up to two letters for a neutral placeholder: "Pemkot Semarang" → "S", "Jawa Tengah" → "JT"."""
    words = [w for w in re.findall(r"[A-Za-z0-9]+", name) if w.lower() not in _STOPWORDS]
    if not words:
        words = re.findall(r"[A-Za-z0-9]+", name) or ["W"]
    return "".join(w[0] for w in words[:2]).upper()


def _placeholder_canvas(size: tuple[int, int], text: str, logo: Image.Image | None) -> Image.Image:
    canvas = Image.new("RGB", size, NEUTRAL_BG)
    if logo is not None:
        box = (int(size[0] * 0.42), int(size[1] * 0.55))
        mark = logo.copy()
        mark.thumbnail(box, Image.Resampling.LANCZOS)
        pos = ((size[0] - mark.width) // 2, (size[1] - mark.height) // 2)
        canvas.paste(mark, pos, mark.getchannel("A") if mark.mode == "RGBA" else None)
        return canvas
    draw = ImageDraw.Draw(canvas)
    font = ImageFont.load_default(size=int(size[1] * 0.36))
    draw.text((size[0] / 2, size[1] / 2), text, fill=NEUTRAL_FG, font=font, anchor="mm")
    return canvas


def make_placeholder(out_dir: Path, prefix: str, spec: ProcessSpec, *, name: str,
                     logo: Path | None = None) -> ProcessResult:
    """A neutral 16:9 image with the source's logo (or its initials), in every derivative size."""
    try:
        mark: Image.Image | None = None
        if logo is not None:
            with Image.open(logo, formats=["WEBP"]) as lg:
                lg.load()
                mark = lg.convert("RGBA")
        text = initials(name)
        base = _placeholder_canvas(PLACEHOLDER_SIZE, text, mark)
        out_dir.mkdir(parents=True, exist_ok=True)
        made = []
        for w in _target_widths(base.width, spec.widths):
            im = base if w == base.width else base.resize(
                (w, round(base.height * w / base.width)), Image.Resampling.LANCZOS)
            made.append(_save_pair(im, out_dir, f"{prefix}-{w}", spec))
        social_name = f"{prefix}-social.jpg"
        _placeholder_canvas(spec.social, text, mark).save(
            out_dir / social_name, "JPEG", quality=spec.jpeg_quality, optimize=True)
        return ProcessResult(width=base.width, height=base.height, files=tuple(made),
                             social=social_name, social_bytes=(out_dir / social_name).stat().st_size,
                             format="PLACEHOLDER")
    except Exception as exc:  # never let a placeholder break a build
        return ProcessResult(error_class="internal", detail=f"{type(exc).__name__}: {exc}"[:160])


def probe(path: Path) -> tuple[str, int, int] | None:
    """Format and declared size from the header only (no pixels decoded), or None."""
    try:
        with Path(path).open("rb") as fh:
            fmt = sniff(fh.read(32))
        if fmt is None:
            return None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(path, formats=[fmt]) as im:
                return fmt, im.width, im.height
    except Exception:  # the worker reports the real reason
        return None
