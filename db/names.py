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
