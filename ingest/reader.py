"""Reading article files: JSON Lines in the seed shape, or a folder of .txt/.html files.

Each record comes out as an ArticleRecord or a BadRecord naming where and why, so one bad
line never stops the good ones from loading.
"""

from __future__ import annotations

import gzip
import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from ingest.records import ArticleRecord

_TAG = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"</(?:p|div|h[1-6]|li|br)\s*>|<br\s*/?>", re.IGNORECASE)
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1>", re.IGNORECASE | re.DOTALL)
_HTML_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class BadRecord:
    where: str  # "seed.jsonl:3" or a file name
    reason: str


def describe_validation_error(error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        field = ".".join(str(part) for part in item["loc"]) or "record"
        kind = "missing" if item["type"] == "missing" else item["msg"].removeprefix("Value error, ")
        parts.append(f"{field}: {kind}")
    return "; ".join(parts)


def parse_record(data: object, where: str) -> ArticleRecord | BadRecord:
    if not isinstance(data, dict):
        return BadRecord(where, f"wrong type: expected a JSON object, got {type(data).__name__}")
    try:
        return ArticleRecord.model_validate(data)
    except ValidationError as error:
        return BadRecord(where, describe_validation_error(error))


def read_jsonl(path: Path) -> Iterator[ArticleRecord | BadRecord]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", errors="replace") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            where = f"{path.name}:{number}"
            try:
                data = json.loads(line)
            except json.JSONDecodeError as error:
                yield BadRecord(where, f"bad JSON: {error.msg} at column {error.colno}")
                continue
            yield parse_record(data, where)


def html_to_text(markup: str) -> tuple[str | None, str]:
    title_match = _HTML_TITLE.search(markup)
    title = html.unescape(_TAG.sub("", title_match.group(1))).strip() if title_match else None
    body = _SCRIPT.sub("", markup)
    body = _HTML_TITLE.sub("", body)
    body = _BLOCK_END.sub("\n\n", body)
    return title or None, html.unescape(_TAG.sub("", body))


def read_text_file(path: Path) -> ArticleRecord | BadRecord:
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return BadRecord(path.name, "not UTF-8 text")
    title: str | None = None
    if path.suffix.lower() in {".html", ".htm"}:
        title, raw = html_to_text(raw)
    record = {"external_id": path.stem, "title": title, "text": raw}
    return parse_record(record, path.name)


def read_folder(path: Path) -> Iterator[ArticleRecord | BadRecord]:
    for file in sorted(path.iterdir()):
        if file.is_file() and file.suffix.lower() in {".txt", ".html", ".htm"}:
            yield read_text_file(file)


def read_articles(path: Path) -> Iterator[ArticleRecord | BadRecord]:
    """JSON Lines (plain or .gz), or a folder of .txt/.html files (no publication date)."""
    if path.is_dir():
        return read_folder(path)
    return read_jsonl(path)
