"""The forms in which the pipeline compares names: `normalise` (entity keys, scoring) and, built on
it, the looser `lookup_form` the gazetteer matches in.

Not the database's `db.names.name_key`: that one strips accents by Unicode decomposition, so it keeps
non-Latin scripts and letters such as 'ø' or 'ł' that transliteration turns into 'o' or 'l', and
changing either would change which names count as one.
"""

from __future__ import annotations

import re
from functools import lru_cache

from unidecode import unidecode


def normalise(name: str) -> str:
    """Transliterated to ASCII, lower-case, whitespace-collapsed: 'Kandahār' → 'kandahar'."""
    return " ".join(unidecode(name).lower().split())


_NOT_WORD = re.compile(r"[^a-z0-9 ]+")


@lru_cache(maxsize=65536)
def lookup_form(name: str) -> str:
    """`normalise`d without apostrophes, other punctuation or a leading article: "the Sar-e Pol's" →
    'sar e pols'."""
    words = _NOT_WORD.sub(" ", normalise(name).replace("'", "")).split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)
