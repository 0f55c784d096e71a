import json
from pathlib import Path

from ingest.reader import BadRecord, parse_record, read_articles
from ingest.records import ArticleRecord


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_read_jsonl_reports_each_bad_line_with_its_number_and_reason(tmp_path: Path) -> None:
    good = {"text": "Taliban fighters captured the district on Sunday.", "published_at": "2021-07-04"}
    path = write_lines(
        tmp_path / "articles.jsonl",
        [
            json.dumps(good),
            "{not json",
            json.dumps({"title": "no text"}),
            json.dumps({"text": "Some text.", "published_at": "2021-13-45"}),
            json.dumps(["a", "list"]),
            "",
            json.dumps({"text": 42}),
            json.dumps({**good, "text": "   "}),
        ],
    )
    results = list(read_articles(path))
    assert isinstance(results[0], ArticleRecord)
    bad = [(r.where, r.reason) for r in results if isinstance(r, BadRecord)]
    assert [where for where, _ in bad] == [
        "articles.jsonl:2",
        "articles.jsonl:3",
        "articles.jsonl:4",
        "articles.jsonl:5",
        "articles.jsonl:7",
        "articles.jsonl:8",
    ]
    reasons = [reason for _, reason in bad]
    assert reasons[0].startswith("bad JSON")
    assert reasons[1] == "text: missing"
    assert reasons[2].startswith("published_at:")
    assert reasons[3] == "wrong type: expected a JSON object, got list"
    assert reasons[4].startswith("text: Input should be a valid string")
    assert reasons[5].startswith("text: String should have at least 1 character")


def test_read_folder_reads_txt_and_html_files(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text("Police arrested three men in Kabul.", encoding="utf-8")
    (tmp_path / "two.html").write_text(
        "<html><head><title>Clashes in Kunduz</title><script>x()</script></head>"
        "<body><p>Fighting broke out in Kunduz.</p><p>Officials said so.</p></body></html>",
        encoding="utf-8",
    )
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    records = list(read_articles(tmp_path))
    assert [r.external_id for r in records if isinstance(r, ArticleRecord)] == ["one", "two"]
    html_record = records[1]
    assert isinstance(html_record, ArticleRecord)
    assert html_record.title == "Clashes in Kunduz"
    assert "Fighting broke out in Kunduz." in html_record.text
    assert "x()" not in html_record.text


def test_records_drop_nul_characters_and_bound_the_year() -> None:
    record = ArticleRecord.model_validate({"text": "Shelling\x00 resumed.", "source": "Wire\x00"})
    assert (record.text, record.source) == ("Shelling resumed.", "Wire")
    for bad in ("0001-01-01T00:00:00+05:00", "9999-12-31T23:00-05:00"):
        result = parse_record({"text": "x", "published_at": bad}, "f:1")
        assert isinstance(result, BadRecord)
        assert result.reason == "published_at: out of range: years 1000 to 2999"
