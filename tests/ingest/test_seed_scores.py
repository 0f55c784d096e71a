"""The whole pipeline on the three seed articles, scored against the hand-made gold annotation."""

import datetime as dt
import json
from pathlib import Path

import pytest

from ingest.clean import clean_text
from ingest.extract import extract_articles
from ingest.scoring import ScoreResult, format_report, from_extraction, score

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"


def seed_result(clean: bool) -> ScoreResult:
    rows = [json.loads(line) for line in (CORPUS / "seed.jsonl").read_text().splitlines() if line.strip()]
    gold = json.loads((CORPUS / "seed-gold.json").read_text())
    texts = [clean_text(row["text"], row.get("title")) if clean else row["text"] for row in rows]
    articles = [
        (text, dt.date.fromisoformat(row["published_at"])) for text, row in zip(texts, rows, strict=True)
    ]
    extractions = list(extract_articles(articles))
    for (text, _), extraction in zip(articles, extractions, strict=True):
        for event in extraction.events:
            assert text[event.sentence_start : event.sentence_end] == event.quote
        for entity in extraction.entities:
            assert all(text[start:end] for start, end in entity.mentions)
    predicted = {row["external_id"]: from_extraction(e) for row, e in zip(rows, extractions, strict=True)}
    return score(gold, predicted)


@pytest.mark.skipif(not (CORPUS / "seed-gold.json").exists(), reason="shared corpus not present")
@pytest.mark.parametrize("clean", [True, False], ids=["cleaned", "raw"])
def test_seed_scores_stay_above_the_bar(clean: bool) -> None:
    result = seed_result(clean)
    report = format_report(result)
    assert result.entities.f1 >= 0.92, report
    assert result.events.recall >= 0.94, report
    assert result.events.precision >= 0.94, report
