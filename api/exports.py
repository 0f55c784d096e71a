"""Full exports: every matching row as CSV, NDJSON or GeoJSON text, produced batch by batch.

The chunks come from keyset pages of the database (db.events.iter_events and friends), so memory
stays flat whatever the number of rows. The API streams them; `annals export` writes them to a file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Iterator
from enum import StrEnum
from typing import Any

import pydantic_core

from api import acled, convert
from db.articles import ArticleFilters, iter_articles
from db.engine import SessionFactory
from db.entities import iter_entities
from db.events import EventFilters, EventSort, iter_events


class ExportFormat(StrEnum):
    csv = "csv"
    ndjson = "ndjson"
    geojson = "geojson"  # events only


MEDIA_TYPES = {
    ExportFormat.csv: "text/csv; charset=utf-8",
    ExportFormat.ndjson: "application/x-ndjson",
    ExportFormat.geojson: "application/geo+json",
}
ARTICLE_COLUMNS = (
    "article_id",
    "external_id",
    "url",
    "title",
    "source",
    "published_at",
    "language",
    "pipeline_version",
    "created_at",
    "updated_at",
    "text",
)
ENTITY_COLUMNS = (
    "entity_id",
    "name",
    "type",
    "aliases",
    "place_kind",
    "country_code",
    "admin1",
    "latitude",
    "longitude",
    "mention_count",
    "created_at",
    "updated_at",
)


def filename(kind: str, export: ExportFormat) -> str:
    return f"{kind}.{'json' if export is ExportFormat.geojson else export.value}"


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(row: dict[str, Any], columns: tuple[str, ...]) -> list[Any]:
    """The row's cells in the columns' order (None for a missing one); a text cell a spreadsheet would
    run as a formula (=, +, -, @ first) gets a leading apostrophe (OWASP's CSV-injection advice), numbers
    are left as they are. One call per row, not one per cell (4,500 for a page of 100 events)."""
    return [
        "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value
        for value in map(row.get, columns)
    ]


def csv_lines(columns: tuple[str, ...], rows: Iterable[dict[str, Any]], header: bool) -> str:
    """RFC 4180 CSV; an empty cell for None; no cell a spreadsheet would run as a formula."""
    out = io.StringIO()
    writer = csv.writer(out)
    if header:
        writer.writerow(columns)
    writer.writerows(spreadsheet_safe(row, columns) for row in rows)
    return out.getvalue()


def event_chunks(
    sessions: SessionFactory, filters: EventFilters, export: ExportFormat, batch: int = 1000
) -> Iterator[str]:
    """Every matching event, oldest first (undated first), one chunk per batch of `batch` events."""
    if export is ExportFormat.csv:
        yield csv_lines(acled.CSV_COLUMNS, [], header=True)
    if export is ExportFormat.geojson:
        yield '{"type":"FeatureCollection","features":['
    first = True
    for details in iter_events(sessions, filters, EventSort.date_asc, batch):
        if export is ExportFormat.csv:
            yield csv_lines(acled.CSV_COLUMNS, map(acled.acled_row, details), header=False)
        elif export is ExportFormat.ndjson:
            yield "".join(convert.event(detail).model_dump_json() + "\n" for detail in details)
        else:
            features = [
                pydantic_core.to_json(convert.event_feature(convert.event(detail))).decode()
                for detail in details
            ]
            if features:
                yield ("" if first else ",") + ",".join(features)
                first = False
    if export is ExportFormat.geojson:
        yield "]}"


def article_chunks(
    sessions: SessionFactory, filters: ArticleFilters, export: ExportFormat, batch: int = 1000
) -> Iterator[str]:
    """Every matching article with its text, in id order."""
    if export is ExportFormat.csv:
        yield csv_lines(ARTICLE_COLUMNS, [], header=True)
    for rows in iter_articles(sessions, filters, batch):
        items = [{**convert.article_item(row).model_dump(mode="json"), "text": row.text} for row in rows]
        if export is ExportFormat.csv:
            yield csv_lines(ARTICLE_COLUMNS, items, header=False)
        else:
            yield "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items)


def entity_chunks(
    sessions: SessionFactory,
    export: ExportFormat,
    *,
    entity_type: str | None = None,
    country: str | None = None,
    updated_since: dt.datetime | None = None,
    batch: int = 1000,
) -> Iterator[str]:
    """Every matching entity with its aliases and place data, in id order."""
    if export is ExportFormat.csv:
        yield csv_lines(ENTITY_COLUMNS, [], header=True)
    batches = iter_entities(
        sessions, entity_type=entity_type, country=country, updated_since=updated_since, batch=batch
    )
    for entities in batches:
        items = [convert.entity_match(entity, None, None, None) for entity in entities]
        if export is ExportFormat.ndjson:
            yield "".join(
                item.model_dump_json(exclude={"match", "matched_alias", "score"}) + "\n" for item in items
            )
            continue
        rows = [
            {
                "entity_id": entity.entity_id,
                "name": entity.name,
                "type": entity.entity_type,
                "aliases": "; ".join(item.aliases),
                "place_kind": entity.place_kind,
                "country_code": entity.country_code,
                "admin1": entity.admin1,
                "latitude": entity.latitude,
                "longitude": entity.longitude,
                "mention_count": entity.mention_count,
                "created_at": entity.created_at.isoformat(),
                "updated_at": entity.updated_at.isoformat(),
            }
            for entity, item in zip(entities, items, strict=True)
        ]
        yield csv_lines(ENTITY_COLUMNS, rows, header=False)
