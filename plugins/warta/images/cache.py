"""The persistent image cache: one folder per source URL, derivatives + a JSON record.

Layout (``var/images/`` unless ``WARTA_IMAGE_CACHE`` says otherwise)::

    ab/ab12…(24 hex of sha256(url))/meta.json
    ab/ab12…/<digest8>-320.webp, -320.jpg, …, -social.jpg
    placeholder/<key>/…        stand-ins per source (logo or initials)
    tmp/                       downloads in progress
    index.sqlite               every URL's record in one file (:mod:`.index`)

Originals are not kept (humas photos are megabytes each): the derivatives
*are* the cache, and ``meta.json`` keeps the validators (ETag,
Last-Modified) needed to re-validate with a conditional GET. File names carry
a digest of the original bytes, so a photo replaced at the same URL gets new
names and no reader's browser cache shows the old one. Output folders get
hard links to these files, so a rebuild copies nothing.

A build reads the records from ``index.sqlite`` rather than one ``meta.json``
per image, and links into an output only the images it has not linked there
before (:meth:`ImageCache.publish_all`). Every record is also written to its
folder's ``meta.json``, so the index can always be rebuilt from the folders.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.outfiles import remove_empty_folders
from ..core.records import ImageVariant, ServedImage
from .process import ProcessResult

if TYPE_CHECKING:
    from .index import CacheIndex, Indexed

log = logging.getLogger(__name__)

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
        self._index: CacheIndex | None = None

    @property
    def index(self) -> CacheIndex:
        """The cache's :class:`~warta.images.index.CacheIndex` (its file opened on first use)."""
        if self._index is None:
            from .index import CacheIndex

            self._index = CacheIndex(self.root)
        return self._index

    def close(self) -> None:
        if self._index is not None:
            self._index.close()

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

    def load_many(self, urls: list[str]) -> tuple[dict[str, Indexed], bool]:
        """The indexed records of ``urls``, and whether the index is complete: then a URL it
        lacks has no record at all, else it may still have a ``meta.json`` (see :meth:`load`).

        A new index is first filled from every ``meta.json`` in the cache, once.
        """
        complete = self.index.is_complete()
        if not complete:
            self.index.fill(self.all_records())
            complete = self.index.is_complete()
        return self.index.get_many(urls), complete

    def all_records(self) -> Iterator[CacheMeta]:
        """Every URL's record in the cache folders (``ab/ab12…/meta.json``; placeholders and
        downloads in progress live elsewhere)."""
        for top in sorted(self.root.glob("[0-9a-f][0-9a-f]")):
            for meta_file in sorted(top.glob(f"*/{META}")):
                meta = self.read_meta(meta_file.parent)
                if meta is not None and self.rel_dir(meta.url) == f"{top.name}/{meta_file.parent.name}":
                    yield meta

    def save(self, meta: CacheMeta, *, verified_at: float | None = None) -> None:
        """Store ``meta`` in the index, then as ``meta.json``.

        ``verified_at``: when the record's derivative files were last seen on disk
        (None: not known). The index goes first: a run stopped in between leaves
        an index ahead of ``meta.json``, never behind the files.
        """
        self.index.put_many([(meta, verified_at)])
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

    def publish(self, image: ServedImage, media_root: Path) -> list[str]:
        """Link (or copy) an image's files from the cache into the output's ``media/``.

        A file already in the output is kept (its name carries the digest of its
        bytes). Returns the files missing from the cache (nothing to link).
        """
        return [rel for rel in served_files(image) if not _link(self.root / rel, media_root / rel)]

    def knows_output(self, media_root: Path) -> bool:
        """Whether the index knows what this ``media/`` folder holds (the same folder it
        last linked images into): False for a new, deleted or changed output."""
        from .index import media_marker

        return self.index.knows_output(str(media_root.resolve()), media_marker(media_root))

    def publish_all(self, images: Iterable[ServedImage], media_root: Path) -> int:
        """:meth:`publish` every image not yet linked into this ``media/`` folder and remove
        the files of images no longer served; returns how many were checked and linked.

        The index remembers what was linked into each output folder, as long as the
        folder is the same one (:func:`~warta.images.index.media_marker`); a deleted
        or new output gets every image checked and linked, and anything else in it
        removed. A file found missing from the cache is logged, its image is left
        unrecorded for this output and its cache folder marked suspect: the next run
        checks that image's files, fetches and processes it again (or shows the
        placeholder), and the next publish links it.

        Removing what is no longer served matters once an output lives on between
        builds: the photo of a withdrawn report must not stay at its address.
        """
        from .index import media_marker, new_marker

        media = str(media_root.resolve())
        current = {image_key(image): image for image in images}
        done = self.index.published(media, media_marker(media_root))
        if done is None:
            self.index.forget_output(media)
            keep = {f for image in current.values() for f in served_files(image)}
            _remove_unlisted(media_root, keep)
            done = {}
        stale = [key for key in done if key not in current]
        for key in stale:
            for rel in done[key]:
                _remove(media_root, rel)
        self.index.drop_published(media, stale)
        linked: list[tuple[str, list[str]]] = []
        suspects: set[str] = set()
        for key, image in current.items():
            if key in done:
                continue
            missing = self.publish(image, media_root)
            if missing:
                suspects.update(rel.rsplit("/", 1)[0] for rel in missing)
                log.warning("gambar: berkas %s tidak ada di cache gambar; halaman yang memakainya "
                            "menunjuk berkas yang hilang sampai build berikutnya mengolahnya ulang",
                            ", ".join(missing))
            else:
                linked.append((key, served_files(image)))
        self.index.add_suspects(suspects)
        self.index.add_published(media, linked, new_marker(media_root))
        return len(linked)


def _remove(media_root: Path, rel: str) -> None:
    """Delete one published file and the folders it leaves empty (never ``media/`` itself)."""
    path = media_root / rel
    with contextlib.suppress(OSError):
        path.unlink()
    remove_empty_folders(path.parent, media_root)


def _remove_unlisted(media_root: Path, keep: set[str]) -> None:
    """Delete every file under ``media_root`` not in ``keep`` (paths relative to it).

    Only for a folder the index does not know (a new output, or one restored from
    another run): it holds only what image publishing put there.
    """
    if not media_root.is_dir():
        return
    for dirpath, _dirs, names in os.walk(media_root, topdown=False):
        rel_dir = os.path.relpath(dirpath, media_root)
        for name in names:
            rel = name if rel_dir == "." else f"{rel_dir}/{name}"
            if rel not in keep:
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(dirpath, name))
        if dirpath != str(media_root):
            with contextlib.suppress(OSError):
                os.rmdir(dirpath)  # only when empty


def served_files(image: ServedImage) -> list[str]:
    """The files of an image, relative to the cache and to ``media/``."""
    return [v.webp for v in image.variants] + [v.jpeg for v in image.variants] + [image.social]


def image_key(image: ServedImage) -> str:
    """A short name for an image's set of files (they carry their bytes' digest)."""
    return hashlib.blake2b("\n".join(served_files(image)).encode("utf-8", "replace"),
                           digest_size=10).hexdigest()


def _link(src: Path, dst: Path) -> bool:
    """Hard-link ``src`` at ``dst`` (copy across file systems); False if ``src`` is missing.

    One ``link`` call when ``dst`` exists or its folder does: ``FileExistsError``
    says the output already has it.
    """
    for attempt in (1, 2):
        try:
            os.link(src, dst)
            return True
        except FileExistsError:
            return True
        except FileNotFoundError:
            if attempt == 2 or not src.is_file():
                return False
            dst.parent.mkdir(parents=True, exist_ok=True)
        except OSError:  # no hard links here (another file system): copy
            try:
                shutil.copy2(src, dst)
            except FileNotFoundError:
                return False
            return True
    return False


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
