"""The persistent image cache: one folder per source URL, derivatives + a JSON record.

Layout (``var/images/`` unless ``WARTA_IMAGE_CACHE`` says otherwise)::

    ab/ab12…(24 hex of sha256(url))/meta.json
    ab/ab12…/<digest8>-320.webp, -320.jpg, …, -social.jpg
    placeholder/<key>/…        stand-ins per source (logo or initials)
    tmp/                       downloads in progress

Originals are not kept (humas photos are megabytes each): the derivatives
*are* the cache, and ``meta.json`` keeps the validators (ETag,
Last-Modified) needed to re-validate with a conditional GET. File names carry
a digest of the original bytes, so a photo replaced at the same URL gets new
names and no reader's browser cache shows the old one. Output folders get
hard links to these files, so a rebuild copies nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from ..core.records import ImageVariant, ServedImage
from .process import ProcessResult

META = "meta.json"


def url_key(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8", "replace")).hexdigest()[:24]


@dataclass(frozen=True, slots=True)
class CacheMeta:
    """What the cache knows about one URL (stored as ``meta.json``)."""

    url: str
    status: str  # ok | failed
    checked_at: float  # epoch seconds of the last network check
    version: str = ""
    etag: str | None = None
    last_modified: str | None = None
    digest: str | None = None
    width: int = 0
    height: int = 0
    original_bytes: int = 0
    variants: tuple[dict[str, object], ...] = field(default_factory=tuple)
    social: str | None = None
    error_class: str | None = None
    error_message: str | None = None
    http_status: int | None = None

    def touched(self, now: float, **changes: object) -> CacheMeta:
        return replace(self, checked_at=now, **changes)  # type: ignore[arg-type]


class ImageCache:
    """Paths and records of the cache folder. Plain files: safe to delete at any time."""

    def __init__(self, root: Path | str):
        self.root = Path(root)

    def rel_dir(self, url: str) -> str:
        key = url_key(url)
        return f"{key[:2]}/{key}"

    def dir_for(self, url: str) -> Path:
        return self.root / self.rel_dir(url)

    def tmp_path(self, url: str) -> Path:
        path = self.root / "tmp" / f"{url_key(url)}.part"
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def load(self, url: str) -> CacheMeta | None:
        meta = self.read_meta(self.dir_for(url))
        return meta if meta is not None and meta.url == url else None

    def save(self, meta: CacheMeta) -> None:
        self.write_meta(self.dir_for(meta.url), meta)

    @staticmethod
    def read_meta(folder: Path) -> CacheMeta | None:
        try:
            data = json.loads((folder / META).read_text(encoding="utf-8"))
            data["variants"] = tuple(data.get("variants") or ())
            return CacheMeta(**data)
        except (OSError, ValueError, TypeError):
            return None  # missing or damaged: the image is simply fetched again

    @staticmethod
    def write_meta(folder: Path, meta: CacheMeta) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / (META + ".tmp")
        tmp.write_text(json.dumps(asdict(meta), ensure_ascii=False), encoding="utf-8")
        tmp.replace(folder / META)

    def files_present(self, meta: CacheMeta, folder: Path | None = None) -> bool:
        """Whether every derivative the record names is still on disk."""
        folder = folder or self.dir_for(meta.url)
        names = [str(v["webp"]) for v in meta.variants] + [str(v["jpeg"]) for v in meta.variants]
        if meta.social:
            names.append(meta.social)
        return bool(names) and all((folder / n).is_file() for n in names)

    def prune(self, url: str, keep_prefix: str) -> None:
        """Remove derivatives of an older version of the image at ``url``."""
        folder = self.dir_for(url)
        if not folder.is_dir():
            return
        for f in folder.iterdir():
            if f.name != META and not f.name.startswith(keep_prefix + "-"):
                with contextlib.suppress(OSError):
                    f.unlink()

    def served(self, meta: CacheMeta, rel_dir: str | None = None, *,
               placeholder: bool = False) -> ServedImage:
        rel = rel_dir or self.rel_dir(meta.url)
        variants = tuple(
            ImageVariant(width=int(v["width"]), height=int(v["height"]),  # type: ignore[call-overload]
                         webp=f"{rel}/{v['webp']}", jpeg=f"{rel}/{v['jpeg']}",
                         webp_bytes=int(v.get("webp_bytes", 0)),  # type: ignore[call-overload]
                         jpeg_bytes=int(v.get("jpeg_bytes", 0)))  # type: ignore[call-overload]
            for v in meta.variants
        )
        return ServedImage(variants=variants, social=f"{rel}/{meta.social}", width=meta.width,
                           height=meta.height, original_bytes=meta.original_bytes,
                           placeholder=placeholder)

    def publish(self, image: ServedImage, media_root: Path) -> None:
        """Link (or copy) an image's files from the cache into the output's ``media/``."""
        rels = [v.webp for v in image.variants] + [v.jpeg for v in image.variants] + [image.social]
        for rel in rels:
            src = self.root / rel
            dst = media_root / rel
            if dst.exists():
                continue
            dst.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(src, dst)
            except OSError:
                shutil.copy2(src, dst)


def meta_from_result(url: str, result: ProcessResult, *, now: float, version: str,
                     digest: str, original_bytes: int, etag: str | None,
                     last_modified: str | None, http_status: int | None) -> CacheMeta:
    """The cache record of a successfully processed image."""
    return CacheMeta(
        url=url, status="ok", checked_at=now, version=version, etag=etag,
        last_modified=last_modified, digest=digest, width=result.width, height=result.height,
        original_bytes=original_bytes,
        variants=tuple({"width": f.width, "height": f.height, "webp": f.webp, "jpeg": f.jpeg,
                        "webp_bytes": f.webp_bytes, "jpeg_bytes": f.jpeg_bytes}
                       for f in result.files),
        social=result.social, http_status=http_status,
    )
