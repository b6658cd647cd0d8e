"""Deduplication beyond the URL: the same text, and near-same text across outlets.

Layers: one canonical URL / outlet id -> one article (``process``); the same normalised
text -> one story; near-same text (syndication, reposts, light edits) -> one cluster. Near
duplicates are found with MinHash signatures (datasketch's, computed here: ``signature``) over
word 3-shingles, indexed by locality-sensitive hashing in bands. The band index lives in the
store (``store.archive``) rather than in datasketch's in-memory ``MinHashLSH``: it survives
restarts, needs no loading at start-up and a lookup is one indexed ``IN`` query over ``BANDS``
keys however large the store grows.

``THRESHOLD`` was chosen on labelled pairs (``bench/dedup_eval.py`` prints the measurement).
"""

from __future__ import annotations

import hashlib
import math
import re
import struct
import unicodedata
from dataclasses import dataclass
from functools import cached_property

import numpy as np

NUM_PERM = 128
BANDS = 42
ROWS = 3  # 42 bands of 3 rows (126 of 128 values): a pair at 0.4 shares a band with p = 0.94,
# a pair at 0.06 (the most similar different stories measured) with p = 0.009.
MIN_SHARED_BANDS = 2
"""Bands two signatures must share before their signatures are compared.

With one shared band, a pair of unrelated texts at Jaccard 0.02 is a candidate with p = 3e-4:
across a million stored articles that is hundreds of signature loads per new article, and most
of the dedup cost at scale. Two shared bands cut that to p = 6e-8 (and 4e-5 at 0.06, the most
similar different stories measured), while a pair at 0.5 is still found with p = 0.97 and one
at 0.55 (the lightest edits measured) with p = 0.995 (``candidate_probability``;
``bench/dedup_eval.py`` prints both on the labelled pairs)."""
SHINGLE = 3
THRESHOLD = 0.4
"""Estimated Jaccard similarity of shingle sets at or above which two texts are one story.

Measured (bench/dedup_eval.py): different stories reach at most 0.06, light edits at least 0.55;
0.4 sits in that gap with room for heavier edits than the labelled ones."""

_WORD = re.compile(r"\w+", re.UNICODE)


def normalise_text(text: str) -> str:
    """Case-, accent-form- and punctuation-insensitive form of a text, for exact comparison."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    return " ".join(_WORD.findall(text))


def text_hash(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def shingles(text: str) -> set[bytes]:
    words = normalise_text(text).split()
    if len(words) < SHINGLE:
        return {" ".join(words).encode("utf-8")}
    return {
        " ".join(words[i : i + SHINGLE]).encode("utf-8") for i in range(len(words) - SHINGLE + 1)
    }


def _seeded_permutations(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The affine permutations ``h -> a * h + b mod 2**32`` (odd ``a``) of datasketch's
    "affine32" MinHash with this seed, drawn as datasketch 2 draws them."""
    generator = np.random.RandomState(seed)
    a = generator.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = generator.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


_A, _B = _seeded_permutations(1)
_FMIX = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))
_EMPTY = np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)


def signature(text: str) -> np.ndarray:
    """The MinHash of the text's shingles: exactly datasketch 2's ``MinHash(num_perm=128,
    seed=1)`` after ``update_batch(shingles)`` (SHA-1's first 32 bits, MurmurHash3's finalizer,
    the affine permutations; a test compares the two), computed here with the permutations
    drawn once. Importing datasketch loads scipy (0.7 s for every process that stores an
    article: each crawl, each worker) and it drew the permutations again for each article
    (0.5 ms); and stored signatures must not change with a library's version."""
    hashes = np.fromiter(
        (
            int.from_bytes(hashlib.sha1(shingle).digest()[:4], "little")  # noqa: S324 - no security
            for shingle in shingles(text)
        ),
        dtype=np.uint32,
    )
    if not len(hashes):
        return _EMPTY.copy()
    s1, m1, s2, m2, s3 = _FMIX
    hashes = hashes ^ (hashes >> s1)
    hashes = hashes * m1
    hashes = hashes ^ (hashes >> s2)
    hashes = hashes * m2
    hashes = hashes ^ (hashes >> s3)
    permuted = hashes.reshape(-1, 1) * _A + _B  # wraps around: modulo 2**32
    return np.minimum(_EMPTY, permuted.min(axis=0))


def band_keys(sig: np.ndarray) -> list[int]:
    """One 64-bit key per band: a hash of the band number and the band's rows.

    Two signatures that agree on every row of some band share that band's key.
    """
    keys = []
    for band in range(BANDS):
        rows = (
            band.to_bytes(1, "big") + sig[band * ROWS : (band + 1) * ROWS].astype("<u4").tobytes()
        )
        digest = hashlib.blake2b(rows, digest_size=8).digest()
        keys.append(struct.unpack(">q", digest)[0])
    return keys


def candidate_probability(
    jaccard: float, bands: int = BANDS, rows: int = ROWS, min_shared: int = MIN_SHARED_BANDS
) -> float:
    """Chance that two texts at this Jaccard similarity share at least ``min_shared`` bands."""
    per_band = jaccard**rows
    below = sum(
        math.comb(bands, k) * per_band**k * (1 - per_band) ** (bands - k) for k in range(min_shared)
    )
    return 1.0 - below


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the shingle sets behind two signatures."""
    return float(np.count_nonzero(a == b)) / len(a)


def to_blob(sig: np.ndarray) -> bytes:
    return sig.astype("<u4").tobytes()


def from_blob(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<u4").astype(np.uint32)


@dataclass(frozen=True)
class Fingerprint:
    """What dedup keeps of an article's text."""

    text_hash: str
    signature: np.ndarray

    @classmethod
    def of(cls, text: str) -> Fingerprint:
        return cls(text_hash(text), signature(text))

    @cached_property
    def bands(self) -> list[int]:
        """The LSH band keys, computed once: storing the fingerprint and clustering both read
        them."""
        return band_keys(self.signature)
