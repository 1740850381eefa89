"""Story signatures are datasketch's MinHash, computed without importing it in the fetch path.

``storytext.signature`` reimplements datasketch's affine32 scheme (importing
datasketch loads SciPy in every worker). Signatures are stored in archives
and their band keys index ``story_bands``: they must stay bit-identical.
"""

from __future__ import annotations

import hashlib
import random
import struct

import numpy as np
from datasketch import MinHash
from warta.stories import text as storytext
from warta.stories.presign import presign
from warta.stories.text import (
    BANDS,
    NUM_PERM,
    ROWS,
    SCHEME,
    SEED,
    band_keys,
    norms,
    shingle_hashes,
    shingle_set,
    shingles,
    signature,
    signature_blob,
    tokenize,
)

from tests.support.story_eval import load_labelled, to_item


def reference(shingle_set: set[bytes]) -> np.ndarray:
    m = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    if shingle_set:
        m.update_batch(sorted(shingle_set))
    return m.hashvalues.astype(np.uint32, copy=False)


def test_signature_equals_datasketch_on_reports() -> None:
    for row in load_labelled()[:60]:
        sh = shingles(tokenize(str(row["title"]))) | shingles(tokenize(str(row["content_html"])))
        ours = signature(sh)
        assert ours.dtype == np.uint32 and ours.shape == (NUM_PERM,)
        assert np.array_equal(ours, reference(sh))


def test_signature_equals_datasketch_on_random_sets() -> None:
    rnd = random.Random(5)
    for size in (1, 2, 3, 17, 250, 2000):
        sh = {rnd.randbytes(rnd.randrange(1, 40)) for _ in range(size)}
        assert np.array_equal(signature(sh), reference(sh))


def test_empty_signature_is_all_max_and_fresh() -> None:
    a = signature(set())
    assert np.array_equal(a, reference(set()))
    assert storytext.is_empty_signature(a)
    a[0] = 0  # callers may not corrupt the shared template
    assert storytext.is_empty_signature(signature(set()))


def reference_hashes(shingle_set: set[bytes]) -> np.ndarray:
    """``shingle_hashes`` as first written: ``np.unique`` of each SHA-1's first 8 bytes."""
    heads = b"".join(hashlib.sha1(s).digest()[:8] for s in shingle_set)
    return np.unique(np.frombuffer(heads, dtype="<u8"))


def reference_band_keys(sig: np.ndarray) -> list[int]:
    """``band_keys`` as first written: blake2b of each band's number and values, halved."""
    raw = sig.astype("<u4").tobytes()
    step = ROWS * 4
    digests = b"".join(hashlib.blake2b(struct.pack("<H", band) + raw[band * step:(band + 1) * step],
                                       digest_size=8).digest() for band in range(BANDS))
    return (np.frombuffer(digests, dtype="<i8") >> 1).tolist()


def test_hashes_and_band_keys_keep_their_definition() -> None:
    """They are stored in archives too (``story_bands``, the worker sketches)."""
    rnd = random.Random(6)
    sets = [{rnd.randbytes(rnd.randrange(1, 40)) for _ in range(size)} for size in (1, 2, 3, 17, 250)]
    for row in load_labelled()[:60]:
        sets.append(shingle_set(str(row["title"]), str(row["content_html"])))
    for sh in sets:
        ours = shingle_hashes(frozenset(sh))
        assert ours.dtype == np.dtype("<u8") and ours.tobytes() == reference_hashes(sh).tobytes()
        sig = signature(sh)
        assert band_keys(sig) == reference_band_keys(sig)
    assert shingle_hashes(set()).tobytes() == b""


def test_hashes_of_digests_whose_heads_repeat() -> None:
    """The 8-byte heads are made distinct as ``np.unique`` would (two shingles may share one)."""
    rnd = random.Random(7)
    heads = [rnd.randbytes(8) for _ in range(5)]
    picks = [rnd.choice(heads) for _ in range(40)] + heads
    digests = b"".join(head + rnd.randbytes(12) for head in picks)
    rows = np.frombuffer(digests, dtype=storytext._DIGEST)
    expected = np.unique(np.frombuffer(b"".join(picks), dtype="<u8"))
    assert storytext._hashes_of(rows).tobytes() == expected.tobytes()
    assert storytext._hashes_of(rows[:1]).tobytes() == picks[0]


def test_presign_is_the_signature_of_the_shingle_set() -> None:
    """``presign`` (one fused pass) gives what the archive's own signing gives, field by field."""
    for row in load_labelled()[:60]:
        item = to_item(row)[0]
        sh = shingle_set(item.title, item.content_html)
        sig = signature(sh)
        pre = presign(item)
        assert pre.sig == signature_blob(sig)
        assert np.frombuffer(pre.bands, dtype="<i8").tolist() == band_keys(sig)
        assert pre.shingles == shingle_hashes(sh).tobytes()
        assert pre.title == " ".join(sorted(set(norms(item.title))))
