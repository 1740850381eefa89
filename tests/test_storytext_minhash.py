"""Story signatures are datasketch's MinHash, computed without importing it in the fetch path.

``storytext.signature`` reimplements datasketch's affine32 scheme (importing
datasketch loads SciPy in every worker). Signatures are stored in archives
and their band keys index ``story_bands``: they must stay bit-identical.
"""

from __future__ import annotations

import random

import numpy as np
from datasketch import MinHash
from warta import storytext
from warta.storytext import NUM_PERM, SCHEME, SEED, shingles, signature, tokenize

from tests.support.story_eval import load_labelled


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
