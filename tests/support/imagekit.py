"""Real image files for tests, generated with Pillow (no binary fixtures in the repo)."""

from __future__ import annotations

import io
import random
import struct
import zlib

from PIL import ExifTags, Image

GPS_LAT = (6.0, 58.0, 30.0)


def photo(width: int = 1600, height: int = 1200, *, seed: int = 1) -> Image.Image:
    """A photo-like RGB image: gradients plus noise, so encoders have real work."""
    rnd = random.Random(seed)
    base = Image.linear_gradient("L").resize((width, height))
    r = base
    g = base.rotate(90).resize((width, height))
    b = Image.effect_noise((width, height), 40 + rnd.randint(0, 20))
    return Image.merge("RGB", (r, g, b))


def jpeg_with_gps(width: int = 1600, height: int = 1200, *, orientation: int = 6,
                  quality: int = 90, seed: int = 1) -> bytes:
    """A phone-style JPEG: EXIF with GPS position, camera make and an orientation flag."""
    im = photo(width, height, seed=seed)
    # Mark the top-left corner red so the test can see where it ends up after rotation.
    im.paste((255, 0, 0), (0, 0, width // 8, height // 8))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "PonselMurah"
    exif[ExifTags.Base.Model] = "X-50MP"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "S", ExifTags.GPS.GPSLatitude: GPS_LAT,
        ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: (110.0, 25.0, 10.0),
    }
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=quality, exif=exif)
    return buf.getvalue()


def cmyk_jpeg(width: int = 900, height: int = 600) -> bytes:
    im = Image.new("CMYK", (width, height), (0, 90, 200, 10))
    im.paste((200, 0, 0, 0), (0, 0, width // 2, height))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=90)
    return buf.getvalue()


def palette_png_alpha(width: int = 700, height: int = 500) -> bytes:
    im = Image.new("P", (width, height), 0)
    im.putpalette([0, 0, 0, 20, 120, 200, 240, 200, 0] + [0] * (256 * 3 - 9))
    im.paste(1, (50, 50, width - 50, height - 50))
    im.paste(2, (200, 150, 400, 300))
    buf = io.BytesIO()
    im.save(buf, "PNG", transparency=0)
    return buf.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A tiny valid-looking PNG that declares a huge canvas (a decompression bomb)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    idat = zlib.compress(row * 16, 9)  # a few rows; the declared size is what matters
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


def noisy_jpeg(width: int, height: int, quality: int = 95) -> bytes:
    im = Image.effect_noise((width, height), 120).convert("RGB")
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=quality)
    return buf.getvalue()
