"""Convert Reuters-21578 (../shared/corpus/reuters21578.jsonl.gz) to the seed JSON Lines shape.

Research use only: the output goes to a temporary or ignored folder, never into the repository.
    python bench/reuters.py --count 1000 --out /tmp/reuters-1000.jsonl
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
from collections.abc import Iterator
from pathlib import Path

DEFAULT_SOURCE = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "reuters21578.jsonl.gz"


def reuters_date(value: str) -> str | None:
    """ISO 8601, or None for the few malformed stamps in the collection (e.g. an hour of 605)."""
    try:
        stamp = dt.datetime.strptime(value.split(".")[0], "%d-%b-%Y %H:%M:%S")
    except ValueError:
        return None
    return stamp.replace(tzinfo=dt.UTC).isoformat()


def reuters_articles(path: Path) -> Iterator[dict[str, object]]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            story = json.loads(line)
            body = (story.get("body") or "").strip()
            if len(body) < 200:
                continue
            yield {
                "external_id": f"reuters-{story['newid']}",
                "url": None,
                "title": (story.get("title") or "").title() or None,
                "source": "Reuters",
                "published_at": reuters_date(story["date"]),
                "language": "en",
                "text": body,
            }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    with args.out.open("w", encoding="utf-8") as out:
        for written, article in enumerate(reuters_articles(args.source)):
            if written >= args.count:
                break
            out.write(json.dumps(article) + "\n")


if __name__ == "__main__":
    main()
