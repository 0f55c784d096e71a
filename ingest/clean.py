"""Text cleaning: strip what is not the story before anything is indexed or parsed.

Pure functions. Offsets of mentions and evidence index the cleaned text, which is what is stored.
"""

from __future__ import annotations

import re
import unicodedata

# "READ MORE: …" links (also the "REEAD MORE" typo seen in the wild) and "Related: …".
_LINK_LINE = re.compile(r"^(?:RE+AD MORE|Read more|READ ALSO|Related)\s*:", re.IGNORECASE)
_LOADING_LINE = re.compile(r"^(?:Loading\.{3}|Loading…|Advertisement|Subscribe)$", re.IGNORECASE)
_CONTRIBUTOR_LINE = re.compile(r"contributed (?:reporting )?to this (?:report|story)\.?$", re.IGNORECASE)
_SOURCE_LINE = re.compile(r"^Source:\s*[\w .,()&/-]{1,40}$")
_AGENCY_LINE = re.compile(
    r"^(?:Reuters|AFP|AP|Getty Images|EPA|Anadolu Agency|AA|Photo|File photo)$", re.IGNORECASE
)
# "(Massoud Hossaini/AP)" or "(Photo: Reuters)" at the end of a caption.
_AGENCIES = r"AP|AFP|Reuters|Getty Images|EPA|AA|Bloomberg|[A-Z]{2,6}"
_PHOTO_CREDIT = re.compile(rf"\s*\((?:Photo:\s*)?[A-Z][\w.'’ -]{{1,60}}/(?:{_AGENCIES})\)\s*$")
_SENTENCE_END = re.compile(r"[.!?…\"”’)]\s*$")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
TITLE_MAX_CHARS = 140


def normalise_line(line: str) -> str:
    return _SPACES.sub(" ", line).strip()


def is_boilerplate_line(line: str) -> bool:
    return bool(
        _LINK_LINE.match(line)
        or _LOADING_LINE.match(line)
        or _CONTRIBUTOR_LINE.search(line)
        or _SOURCE_LINE.match(line)
        or _AGENCY_LINE.match(line)
    )


def looks_like_headline(line: str) -> bool:
    """A short line with no sentence-final punctuation: a heading or a related-story link."""
    return len(line) <= 120 and not _SENTENCE_END.search(line)


def paragraphs(text: str) -> list[str]:
    """Paragraphs of the text, boilerplate lines and photo credits left out.

    A paragraph ends at a blank line, before an indented line (newswire style), or after a line that
    ends a sentence; other line breaks are hard wraps, joined with a space.
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    blocks: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            blocks.append(" ".join(current))
            current.clear()

    for raw in text.split("\n"):
        line = _PHOTO_CREDIT.sub("", normalise_line(raw)).strip()
        if not line:
            flush()
            continue
        if is_boilerplate_line(line):
            continue
        if raw[:1] in (" ", "\t"):
            flush()
        current.append(line)
        if _SENTENCE_END.search(line):
            flush()
    flush()
    return blocks


def clean_text(text: str, title: str | None = None) -> str:
    """Remove boilerplate, photo credits, repeated paragraphs and trailing related headlines."""
    kept: list[str] = []
    for block in paragraphs(text):
        if block in kept:  # captions and standfirsts repeated by the page template
            continue
        if not kept and title and block.casefold() == title.strip().casefold():
            continue
        kept.append(block)
    if any(not looks_like_headline(block) for block in kept):  # a table of figures is kept whole
        while looks_like_headline(kept[-1]):
            kept.pop()
    return "\n\n".join(kept)


def infer_title(text: str) -> str:
    """The first line when it reads as a headline, else the first sentence, cut at a word."""
    first = text.strip().split("\n", 1)[0].strip()
    if looks_like_headline(first):
        return first
    match = re.match(r"(.+?[.!?])(?:\s|$)", first)
    sentence = match.group(1) if match else first
    if len(sentence) <= TITLE_MAX_CHARS:
        return sentence
    cut = sentence[:TITLE_MAX_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"
