"""Text features for story grouping: Indonesian tokens, shingles, MinHash, LSH bands.

Why these choices:

* **Word 2-shingles after stopword removal.** Humas offices rewrite a shared
  release: new intro, reordered paragraphs, synonyms for the verbs. Sentences
  they keep still share most content-word pairs, while function words
  ("yang", "dan", "di") and humas boilerplate ("humas", "diskominfo",
  "baca juga", "editor") would only make unrelated releases look alike.
* **MinHash (datasketch's affine32 scheme, see :func:`signature`) + banded LSH.** The estimated
  Jaccard of the shingle sets is the main "same text" signal; 63 bands of 2
  rows make two reports meet in a bucket with probability 0.87 at Jaccard
  0.18 (the title-assisted threshold), 0.98 at 0.25 and 0.997 at 0.3. Related
  but different releases (Jaccard 0.05–0.1) still meet 15–47 % of the time;
  those are dropped by the MinHash estimate before any text is read, and only
  items inside the date window are looked up at all. Band keys are 63-bit
  integers so SQLite can index them (see :mod:`warta.stories.index`).
* **Specific tokens** — numbers, dates, ordinals, day and month names and
  capitalised names — are what separates two events that share a template
  ("Rapat koordinasi kehumasan" in two provinces, day 1 and day 2 of one
  training); :mod:`warta.stories.compare` compares them after aligning the texts.

Everything here is pure and deterministic: the same text always gives the
same signature, across processes and Python versions.
"""

from __future__ import annotations

import hashlib
import html
import re
import struct
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from ..core.asciiwords import ascii_bytes

NUM_PERM = 126
BANDS = 63
ROWS = 2
SEED = 6
SCHEME = "affine32"
SHINGLE = 2

# Function words of written Indonesian (news register). Kept short on purpose:
# words that carry meaning in a release ("rapat", "pelatihan") must stay.
STOPWORDS: frozenset[str] = frozenset("""
ada adalah adapun agar akan akhirnya aku alias amat anda antara apa apabila apakah atas atau
bagai bagaimana bagi bahkan bahwa baik banyak baru beberapa begitu belum benar berapa bersama
besar bisa boleh bukan cukup dalam dan dapat dari daripada demi demikian dengan di dia diri
dimana dirinya disini dulu guna hal hampir hanya harus hingga ia ialah ikut ini itu jadi jika
juga justru kalau kami kamu kan karena kata ke kecuali kemudian kepada ketika kini kita lagi
lain lalu lebih maka mana masih masing mau melalui memang menjadi menurut mereka meski
misalnya mungkin namun nanti nya oleh pada padahal para pun pula saat saja salah sama sambil
sampai sangat saya se sebab sebagai sebagaimana sebelum sebuah sedang sehingga sejak sekali
selain selama seluruh semua sementara seperti serta setelah setiap sini supaya tak tanpa
tapi telah tentang terhadap termasuk tersebut tetap tetapi tidak turut untuk usai yaitu yakni
yang
""".split())  # noqa: SIM905 (a word list reads best as text)

# Words every humas release carries whatever the event: mastheads, bylines,
# "read also" links, office names. They say who wrote it, not what happened.
BOILERPLATE: frozenset[str] = frozenset("""
admin baca berita dinas diskominfo diskominfotik dok dokumentasi editor foto humas info
informasi juga kominfo kontributor liputan penulis pemerintah pemkab pemkot pemprov pewarta
portal prokopim protokol publik redaksi reporter resmi rilis setda sumber website www
com co go id https http
""".split())  # noqa: SIM905 (a word list reads best as text)

DAY_NAMES = frozenset({"senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu", "ahad"})
MONTHS: dict[str, str] = {
    "januari": "1", "jan": "1", "februari": "2", "feb": "2", "pebruari": "2", "maret": "3",
    "mar": "3", "april": "4", "apr": "4", "mei": "5", "juni": "6", "jun": "6", "juli": "7",
    "jul": "7", "agustus": "8", "agu": "8", "agt": "8", "september": "9", "sep": "9",
    "sept": "9", "oktober": "10", "okt": "10", "november": "11", "nov": "11", "desember": "12",
    "des": "12",
}
ORDINALS: dict[str, str] = {
    "pertama": "1", "kedua": "2", "ketiga": "3", "keempat": "4", "kelima": "5", "keenam": "6",
    "ketujuh": "7", "kedelapan": "8", "kesembilan": "9", "kesepuluh": "10",
}

_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_SENTENCE_END = re.compile(r"[.!?:;\"“”()\n]\s*$")
_MAX_CHARS = 20_000
"""Long reports are cut here: the event is told in the first paragraphs."""


def html_text(fragment: str) -> str:
    """Sanitized HTML → text. A regex is enough because nh3 output is well-formed."""
    return html.unescape(_TAG.sub(" ", fragment))


_BLOCK = re.compile(r"</?(?:p|div|br|li|h[1-6]|blockquote|tr|figcaption)\b[^>]*>", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?…”\"])\s+(?=[A-Z“\"(])|\n+")


def _sentence_source(fragment: str) -> str:
    """Sanitized HTML → the text sentences are cut from (blocks become line breaks)."""
    return html_text(_BLOCK.sub("\n", fragment[: _MAX_CHARS * 2]))


def split_sentences(fragment: str) -> list[str]:
    """Sanitized HTML → sentences (paragraph breaks and sentence ends)."""
    text = _sentence_source(fragment)
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()]


@dataclass(frozen=True, slots=True)
class Token:
    """One word: its normalised form, and the kind of fact it may carry."""

    norm: str
    kind: str  # "word" | "name" | "num" (numbers, dates, ordinals, day names)


_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_SPECIAL_PATTERN = (
    r"(?P<sdate>\b(?P<sd>\d{1,2})/(?P<sm>\d{1,2})(?:/(?P<sy>\d{2,4}))?\b)"
    rf"|(?P<tdate>\b(?P<td>\d{{1,2}})\s+(?P<tm>{_MONTH_RE})\b\.?(?:\s+(?P<ty>\d{{4}})\b)?)"
    r"|(?P<ord>\bke-?(?P<on>\d{1,3})\b)"
    r"|(?P<num>\d+(?:[.,]\d+)*)"
)
"""The tokens that need a digit: dates, ordinals, numbers."""
_TOKEN = re.compile(_SPECIAL_PATTERN + r"|(?P<word>[^\W\d_]+)", re.UNICODE | re.IGNORECASE)
_THOUSANDS = re.compile(r"^\d{1,3}(?:\.\d{3})+$")


def _number(raw: str) -> str:
    if _THOUSANDS.match(raw):
        raw = raw.replace(".", "")
    return raw.lstrip("0") or "0"


_WORD_FACTS: dict[str, Token | None] = {}
"""Lower-cased words that are not plain words: ``None`` drops one (stopwords,
boilerplate), a Token replaces it (ordinals, day and month names). Filled in
:func:`tokenize`'s order of precedence: later entries win."""
_WORD_FACTS.update(dict.fromkeys(STOPWORDS | BOILERPLATE))
_WORD_FACTS.update({m: Token("bulan" + n, "num") for m, n in MONTHS.items() if len(m) > 3})
_WORD_FACTS.update({d: Token(d, "num") for d in DAY_NAMES})
_WORD_FACTS.update({o: Token("ke" + n, "num") for o, n in ORDINALS.items()})
_MISSING = Token("", "")
_INTERNED: dict[tuple[str, str], Token] = {}
_INTERNED_MAX = 200_000


def _token(norm: str, kind: str) -> Token:
    """One shared Token per (norm, kind): a report repeats its words, and a worker its vocabulary."""
    key = (norm, kind)
    tok = _INTERNED.get(key)
    if tok is None:
        if len(_INTERNED) >= _INTERNED_MAX:
            _INTERNED.clear()
        tok = _INTERNED[key] = Token(norm, kind)
    return tok


_DIGIT = re.compile(r"\d")
_WORD_SPLIT = re.compile(r"([^\W\d_]+)", re.UNICODE | re.IGNORECASE)
"""``_TOKEN``'s word alternative, capturing: on text without digits it is the only one
that can match (every other needs ``\\d``)."""


def _tokenize_words(text: str) -> list[Token]:
    """:func:`tokenize` of a text without digits (most sentences), from one C-level split.

    ``parts`` alternates separator, word, separator, …; a word's sentence-start
    test reads the separator before it, which is what ``_SENTENCE_END`` can
    see of the three characters before the word (letters of the previous word
    can neither end a sentence nor be skipped as space).
    """
    out: list[Token] = []
    append = out.append
    parts = _WORD_SPLIT.split(text)
    # The word rule below is written out again in tokenize(), on purpose: a shared helper
    # called per word made tokenizing markedly slower, and this
    # runs for every fetched item. tests/stories/test_storytext_tokenize.py holds the two together.
    for k in range(1, len(parts), 2):
        raw = parts[k]
        low = raw.lower()
        fact = _WORD_FACTS.get(low, _MISSING)
        if fact is not _MISSING:
            if fact is not None:
                append(fact)
            continue
        if len(low) < 2:
            continue
        kind = "word"
        if raw[0].isupper():
            sep = parts[k - 1]
            if (k > 1 or sep) and not _SENTENCE_END.search(sep[-3:]):
                kind = "name"
        append(_token(low, kind))
    return out


def tokenize(text: str) -> list[Token]:
    """Lower-cased tokens minus stopwords/boilerplate, each tagged word/name/num.

    Dates become one ``day/month`` token whichever way they are written
    ("12 Maret 2025", "(12/3/2025)", "12/3"), ordinals one ``keN`` token
    ("kedua", "ke-2"), day names stay as they are: all three are ``num``
    facts, as are plain numbers (thousands separators dropped, decimals
    kept). A capitalised word not at a sentence start is a ``name`` (place,
    person, office).
    """
    text = text[:_MAX_CHARS]
    if not _DIGIT.search(text):
        return _tokenize_words(text)
    out: list[Token] = []
    append = out.append
    for m in _TOKEN.finditer(text):
        group = m.lastgroup  # the outermost group of the alternative that matched
        if group == "word":
            raw = m.group()
            low = raw.lower()
            fact = _WORD_FACTS.get(low, _MISSING)
            if fact is not _MISSING:
                if fact is not None:
                    append(fact)
                continue
            if len(low) < 2:
                continue
            kind = "word"
            if raw[0].isupper():
                start = m.start()
                if start and not _SENTENCE_END.search(text[max(0, start - 3):start]):
                    kind = "name"
            append(_token(low, kind))
        elif group == "num":
            append(_token(_number(m.group()), "num"))
        elif group == "sdate":
            append(_token(f"{int(m.group('sd'))}/{int(m.group('sm'))}", "num"))
            if m.group("sy"):
                year = m.group("sy")
                append(_token(year if len(year) == 4 else "20" + year, "num"))
        elif group == "tdate":
            month = MONTHS[m.group("tm").lower()]
            append(_token(f"{int(m.group('td'))}/{month}", "num"))
            if m.group("ty"):
                append(_token(m.group("ty"), "num"))
        else:  # ord
            append(_token("ke" + _number(m.group("on")), "num"))
    return out


def shingles(tokens: Sequence[Token], k: int = SHINGLE) -> set[bytes]:
    """Word k-shingles as bytes (a single token when the text is shorter than k)."""
    return _norm_shingles([t.norm for t in tokens], k)


def _norm_shingles(norms: list[str], k: int = SHINGLE) -> set[bytes]:
    """Shingles of norms as str (tokens' norms; signing itself reads :func:`_norm_bytes`)."""
    return _byte_shingles(list(map(str.encode, norms)), k)


def _byte_shingles(norms: list[bytes], k: int = SHINGLE) -> set[bytes]:
    """Shingles of UTF-8 norms: ``b" ".join`` of encoded norms is the encoded ``" ".join``.

    Joining bytes saves encoding every shingle, and for k = 2 the whole set is
    built by C loops (``map`` over ``pairwise``), ~35 % less than a set
    comprehension of f-strings.
    """
    if len(norms) < k:
        return {b" ".join(norms)} if norms else set()
    if k == 2:
        return set(map(b" ".join, pairwise(norms)))
    return {b" ".join(norms[i:i + k]) for i in range(len(norms) - k + 1)}


_SPECIAL = re.compile(_SPECIAL_PATTERN, re.UNICODE | re.IGNORECASE)
"""``_TOKEN`` without its word alternative: the tokens that need a digit."""
_WORDS = re.compile(r"[^\W\d_]+", re.UNICODE | re.IGNORECASE)
_WORD_NORM: dict[str, str] = {w: "" if f is None else f.norm for w, f in _WORD_FACTS.items()}
""":data:`_WORD_FACTS` as norms: ``""`` drops a word (as does any norm shorter than 2)."""
assert all(len(n) > 1 for n in _WORD_NORM.values() if n)
_BOUNDARY = "\x00"
"""Joins sentences: no token pattern can match it, span it, or see it as a word."""

_ASCII_FOLD = bytes(
    ord(chr(c).lower()) if chr(c).isalpha() else ord("0") if chr(c).isdigit() else ord(" ")
    for c in range(128)
) + b" " * 128
"""``bytes.translate`` table: ASCII letters → lower case, digits → ``0``, every
other byte (and ``?``, the stand-in for any other character) → space."""
_BYTE_NORM: dict[bytes, bytes] = {bytes([c]): b"" for c in range(ord("a"), ord("z") + 1)}
_BYTE_NORM.update({w.encode(): n.encode() for w, n in _WORD_NORM.items() if w.isascii()})
""":data:`_WORD_NORM` for lower-case ASCII words as bytes, where ``b""`` drops a
word. One-letter words map to ``b""`` too (unless :data:`_WORD_NORM` says
otherwise), so ``filter(None, ...)`` does the length test: ASCII letters keep
their length when lowered, and every norm there is ``""`` or longer than 1."""


def _special_norms(m: re.Match[str]) -> list[str]:
    """The norms of one ``_SPECIAL`` match (a date may give a year after it)."""
    group = m.lastgroup
    if group == "num":
        return [_number(m.group())]
    if group == "sdate":
        day_month = f"{int(m.group('sd'))}/{int(m.group('sm'))}"
        year = m.group("sy")
        if not year:
            return [day_month]
        return [day_month, year if len(year) == 4 else "20" + year]
    if group == "tdate":
        day_month = f"{int(m.group('td'))}/{MONTHS[m.group('tm').lower()]}"
        return [day_month, m.group("ty")] if m.group("ty") else [day_month]
    return ["ke" + _number(m.group("on"))]  # ord


def _extend_word_norms(out: list[str], text: str) -> None:
    get = _WORD_NORM.get
    out.extend([n for w in map(str.lower, _WORDS.findall(text)) if len(n := get(w, w)) > 1])


def norms(text: str) -> list[str]:
    """``[t.norm for t in tokenize(text)]``, without making Tokens or telling names apart.

    A signature only needs the norms (:func:`~warta.stories.presign.presign`, and :mod:`warta.stories.compare`
    checking whether two reports' texts are close enough to compare at all),
    and most of :func:`tokenize`'s time goes into what it adds. A text whose
    words and digits are all ASCII (most reports: curly quotes, dashes and
    no-break spaces are allowed) is read by :func:`_ascii_norms`, any other by
    :func:`_unicode_norms`. tests/stories/test_storytext_tokenize.py compares both
    with :func:`tokenize`.
    """
    text = text[:_MAX_CHARS]
    if (raw := ascii_bytes(text)) is not None:
        return list(map(bytes.decode, _ascii_norms(text, raw)))
    return _unicode_norms(text)


def _norm_bytes(text: str) -> list[bytes]:
    """:func:`norms` encoded as UTF-8, what :func:`_byte_shingles` joins."""
    text = text[:_MAX_CHARS]
    if (raw := ascii_bytes(text)) is not None:
        return _ascii_norms(text, raw)
    return [n.encode() for n in _unicode_norms(text)]


def _unicode_norms(text: str) -> list[str]:
    """:func:`norms` of any text.

    Tokens that need a digit are found by ``_SPECIAL`` exactly where
    ``_TOKEN`` finds them: a word match of ``_TOKEN`` is a whole run of
    letters, and none of the digit alternatives can start inside such a run
    (``\\d`` is not a letter, ``ke`` needs ``\\b`` before it), and each starts
    at most 3 characters before its first digit. The words between them are
    split in one C call.
    """
    out: list[str] = []
    if not _DIGIT.search(text):
        _extend_word_norms(out, text)
        return out
    pos = 0
    extend = out.extend
    find_digit, find_special = _DIGIT.search, _SPECIAL.search
    while (digit := find_digit(text, pos)) is not None:
        # A digit token starts on its first digit or, "ke-2", at most 3 before it: no need
        # to try every position in between (\b still sees the text before the start).
        m = find_special(text, max(pos, digit.start() - 3))
        if m is None:  # cannot happen: a digit is at least a number
            break
        start = m.start()
        if start > pos:
            _extend_word_norms(out, text[pos:start])
        pos = m.end()
        extend(_special_norms(m))
    if pos < len(text):
        _extend_word_norms(out, text[pos:])
    return out


def _ascii_norms(text: str, raw: bytes) -> list[bytes]:
    """:func:`_unicode_norms`, encoded, of a text without a non-ASCII ``\\w`` character.

    The words come from bytes rather than from a regex, ``str.lower`` and a
    dict lookup per word (~2.5× faster on a 400-word report). ``words`` is
    ``text`` position for position (``raw``, from :func:`~warta.core.asciiwords.ascii_bytes`, has
    one ``?`` for each non-ASCII character) with letters lower-cased, digits
    turned into ``0`` and everything else into space, so ``bytes.split`` cuts
    out exactly the letter runs ``_WORDS`` finds: outside ASCII the text
    holds no letter or digit, and any other character parts words just as a
    space does. Its digits are all ASCII, so ``bytes.find`` finds the next one.

    The digit tokens are still matched on ``text`` (where ``\\s`` takes in a
    no-break space between day and month, say), from where
    :func:`_unicode_norms` would search, unless the 3 characters before the
    digit hold no ``ke``: then from the digit itself, since "ke-2" is the
    only digit token that can start before its first digit (and ``words``
    has its ``ke`` in lower case). The text between two digit tokens holds no
    digit, so no ``0`` reaches a word.
    """
    words = raw.translate(_ASCII_FOLD)
    out: list[bytes] = []
    extend = out.extend
    get = _BYTE_NORM.get
    find, find_special = words.find, _SPECIAL.search
    pos = 0
    while (digit := find(b"0", pos)) >= 0:
        back = max(pos, digit - 3)
        m = find_special(text, back if find(b"ke", back, digit) >= 0 else digit)
        if m is None:  # cannot happen: a digit is at least a number
            break
        start, end = m.span()
        if start > pos:
            split = words[pos:start].split()
            extend(filter(None, map(get, split, split)))
        pos = end
        extend(map(str.encode, _special_norms(m)))
    split = words[pos:].split()
    extend(filter(None, map(get, split, split)))
    return out


def body_norms(content_html: str) -> list[str]:
    """The norms of :func:`features`' body tokens: every sentence's, in order."""
    return list(map(bytes.decode, _body_norm_bytes(content_html)))


def _body_norm_bytes(content_html: str) -> list[bytes]:
    """:func:`body_norms`, encoded.

    Sentences are tokenized apart (a date or number never spans two); joined by
    :data:`_BOUNDARY` they can be read in one pass, which is the same unless a
    sentence is longer than ``_MAX_CHARS`` (cut there by :func:`tokenize`).

    Only the line breaks need the boundary, so they are replaced by
    ``str.replace`` (C speed) rather than cutting at every ``_SENTENCE`` match
    (a regex pass, ~15 % of signing). The other breaks ``_SENTENCE`` cuts at,
    spaces after ``.!?…”"`` and before ``A-Z“"(``, cannot change a token: the
    only token with a space inside is a written date ("12 Maret. 2025"), whose
    first space follows a digit (not ``.!?…”"``) and whose second precedes one
    (not ``A-Z“"(``); every other token lies between separators, and a space
    separates words exactly as the boundary does.
    """
    text = _sentence_source(content_html)
    if len(text) <= _MAX_CHARS:
        return _norm_bytes(text.replace("\n", _BOUNDARY))
    out: list[bytes] = []
    for sentence in split_sentences(content_html):
        out.extend(_norm_bytes(sentence))
    return out


def shingle_set(title: str, content_html: str) -> set[bytes]:
    """``features(title, content_html)[3]``: the shingles, for a fraction of the time."""
    shingles = _byte_shingles(_body_norm_bytes(content_html))
    shingles |= _byte_shingles(_norm_bytes(title))
    return shingles


def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine32 permutation parameters for (NUM_PERM, SEED), drawn the same way."""
    gen = np.random.RandomState(SEED)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


_PERM_A, _PERM_B = _permutations()
_EMPTY = np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint32)
_FMIX = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))


def signature(shingle_set: AbstractSet[bytes]) -> np.ndarray:
    """MinHash signature (uint32 × NUM_PERM) of a shingle set.

    Bit for bit what ``datasketch.MinHash(num_perm=NUM_PERM, seed=SEED,
    scheme="affine32").update_batch(...)`` gives (SHA-1 → 32 bits, MurmurHash3
    finalizer, ``a·h + b`` mod 2³²; tests/stories/test_storytext_minhash.py holds it
    to datasketch), computed here because importing datasketch pulls in SciPy:
    ~45 MB and 0.4 s in every fetch worker for one small function.
    """
    if not shingle_set:
        return _EMPTY.copy()
    return _signature_of(_sha1s(shingle_set))


_DIGEST = np.dtype({"names": ["h32", "h64"], "formats": ["<u4", "<u8"], "offsets": [0, 0],
                    "itemsize": 20})
"""One SHA-1 digest seen through its first 4 bytes (what the signature hashes)
and first 8 (what :func:`shingle_hashes` keeps), both little-endian."""


def _sha1s(shingle_set: AbstractSet[bytes]) -> np.ndarray:
    """SHA-1 digests of the shingles, one :data:`_DIGEST` record each (in set order).

    The two fields are strided read-only views of the joined digests, so
    neither reader copies the rows out first. (A list comprehension stays the
    fastest way to digest: ``map`` with ``methodcaller`` or the unbound
    ``digest`` was no faster, nor was the ``_sha1`` module.)
    """
    sha1 = hashlib.sha1
    return np.frombuffer(b"".join([sha1(s).digest() for s in shingle_set]), dtype=_DIGEST)


def _signature_of(digests: np.ndarray) -> np.ndarray:
    """The signature of one or more digests (order does not matter: it is a minimum)."""
    s1, m1, s2, m2, s3 = _FMIX
    hv = digests["h32"]
    hv = hv ^ (hv >> s1)  # a new uint32 array, which the steps below may overwrite
    hv *= m1
    hv ^= hv >> s2
    hv *= m2
    hv ^= hv >> s3
    values = hv[:, np.newaxis] * _PERM_A
    values += _PERM_B
    return values.min(axis=0)  # never above _EMPTY's maximum: no np.minimum with it needed


def _hashes_of(digests: np.ndarray) -> np.ndarray:
    """``np.unique`` of the 64-bit heads, in a fifth of its time (its checks and set-up)."""
    hashes = np.sort(digests["h64"])
    if len(hashes) > 1:
        new = hashes[1:] != hashes[:-1]
        if not new.all():  # two shingles whose SHA-1 share 8 bytes: ~never
            hashes = hashes[np.concatenate(([True], new))]
    return hashes


def shingle_hashes(shingle_set: AbstractSet[bytes]) -> np.ndarray:
    """The shingles as sorted 64-bit numbers (the first 8 bytes of their SHA-1).

    What :mod:`warta.stories.compare` measures text overlap on before comparing two
    reports: 8 bytes a shingle where a set of ``bytes`` takes ~70, and a
    Jaccard of two sorted arrays in one call. Two different shingles share a
    number with probability 2⁻⁶⁴; no report has enough shingles to matter.
    """
    if not shingle_set:
        return np.empty(0, dtype="<u8")
    return _hashes_of(_sha1s(shingle_set))


def signature_blob(sig: np.ndarray) -> bytes:
    return sig.astype("<u4", copy=False).tobytes()


def signature_from_blob(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<u4")


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Share of equal MinHash values: an unbiased estimate of Jaccard similarity."""
    return float(np.count_nonzero(a == b)) / len(a)


def band_keys(sig: np.ndarray) -> list[int]:
    """One signed 63-bit key per band: blake2b(band number, band values)."""
    return band_key_array(sig).tolist()


def band_key_array(sig: np.ndarray) -> np.ndarray:
    """:func:`band_keys` as an int64 array.

    The 63 messages (band number, then its rows' values) are laid out side by
    side by numpy and cut apart by one ``struct`` call, rather than by slicing
    and concatenating bytes band by band (~25 % of the time).
    """
    rows = np.ascontiguousarray(sig, dtype="<u4").view(np.uint8).reshape(BANDS, ROWS * 4)
    messages = _BAND_MESSAGES.unpack(np.concatenate((_BAND_TAGS, rows), axis=1).tobytes())
    blake2b = hashlib.blake2b
    digests = b"".join([blake2b(message, digest_size=8).digest() for message in messages])
    return np.frombuffer(digests, dtype="<i8") >> 1


_BAND_TAGS = np.arange(BANDS, dtype="<u2").view(np.uint8).reshape(BANDS, 2)
"""Each band's number as its message starts: 2 bytes, little-endian (``struct`` ``<H``)."""
_BAND_MESSAGES = struct.Struct(f"{2 + ROWS * 4}s" * BANDS)


def is_empty_signature(sig: np.ndarray) -> bool:
    """An empty text leaves every value at the maximum; such items never match."""
    return int(sig.min()) == _UINT32_MAX  # every value at the maximum (cheaper than comparing with _EMPTY)


_UINT32_MAX = int(np.iinfo(np.uint32).max)


def features(title: str, content_html: str) -> tuple[
        list[Token], tuple[tuple[Token, ...], ...], tuple[Token, ...], set[bytes]]:
    """Title tokens, sentences, body tokens and shingles: what a report is compared and signed by."""
    title_tokens = tokenize(title)
    sentences = tuple(
        tuple(toks) for toks in (tokenize(part) for part in split_sentences(content_html)) if toks
    )
    body = tuple(t for sent in sentences for t in sent)
    return title_tokens, sentences, body, shingles(title_tokens) | shingles(body)
