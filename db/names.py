"""Name normalisation shared by the writer (ingest) and the lookup queries (db)."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[\W_]+")
_SPACES = re.compile(r"\s+")


def name_key(name: str) -> str:
    """Lower-case, accent-free, punctuation folded to spaces: 'Stöltenberg' -> 'stoltenberg'."""
    decomposed = unicodedata.normalize("NFKD", name.replace("’", "'"))
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    folded = _NON_WORD.sub(" ", ascii_only.casefold().replace("'", ""))
    return _SPACES.sub(" ", folded).strip()


def trigrams(key: str) -> list[str]:
    """Character trigrams of each word, padded like pg_trgm ('  s', ' st', 'sto', …, 'rg ')."""
    grams: set[str] = set()
    for word in key.split():
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return sorted(grams)


CODE_POINT_BITS = 21  # every Unicode code point fits: a trigram's three fit in one bigint


def trigram_code(gram: str) -> int:
    """A trigram as one integer, its three code points side by side: equal trigrams, equal codes, and
    codes sort as their trigrams do. PostgreSQL compares bigint array elements about twice as fast as
    text ones, which is most of what a typo lookup does (db/entities.py)."""
    first, second, third = (ord(ch) for ch in gram)
    return first << 2 * CODE_POINT_BITS | second << CODE_POINT_BITS | third


def trigram_codes(key: str) -> list[int]:
    """The key's trigrams (trigrams) as trigram_code integers, in the same order."""
    return [trigram_code(gram) for gram in trigrams(key)]
