"""The `annals` console script: serve, migrate, load, reprocess, evaluate, export, create-key.

The composition root: the only module that wires db, ingest and api together.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from api.settings import Settings
from db.engine import DatabaseUnavailable, SessionFactory
from db.settings import resolve_database_url

SEED_CORPUS = Path(__file__).resolve().parent.parent / "ingest" / "data" / "seed.jsonl"


class NotMigrated(Exception):
    """DATABASE_URL names a database whose schema is not at the code's migration."""


def open_database(settings: Settings) -> tuple[str, SessionFactory]:
    """The database, ready for use: the embedded one is started and migrated as `serve` does; a
    configured one must have been migrated with `annals migrate`, which this checks."""
    from db.engine import make_engine, make_sessionmaker
    from db.migrations import current_revision, head_revision, upgrade_to_head

    url = resolve_database_url(settings)
    engine = make_engine(url, pool_size=2)
    if not settings.database_url:
        upgrade_to_head(url)
    elif current_revision(engine) != head_revision():
        raise NotMigrated("the database is not at the latest migration: run `annals migrate` first")
    return url, make_sessionmaker(engine)


def cmd_migrate(settings: Settings, args: argparse.Namespace) -> int:
    from db.migrations import upgrade_to_head

    url = resolve_database_url(settings)
    upgrade_to_head(url)
    print("database at the latest migration")
    return 0


LARGE_INPUT_BYTES = 512 * 1024


def nlp_processes(path: Path) -> int:
    """Both cores for a large input; one for a small one, where starting workers costs more than it saves."""
    size = (
        sum(f.stat().st_size for f in path.iterdir() if f.is_file()) if path.is_dir() else path.stat().st_size
    )
    return min(2, os.cpu_count() or 1) if size >= LARGE_INPUT_BYTES else 1


def cmd_load(settings: Settings, args: argparse.Namespace) -> int:
    from ingest.load import load_records
    from ingest.reader import read_articles

    path = Path(args.path)
    if not path.exists():
        print(f"annals load: {path}: no such file or folder", file=sys.stderr)
        return 2
    _, sessions = open_database(settings)
    report = load_records(
        sessions,
        read_articles(path),
        batch_size=args.batch_size,
        n_process=args.processes or nlp_processes(path),
        progress=True,
        defer_extraction=args.defer_extraction,
    )
    for bad in report.bad:
        print(f"skipped {bad.where}: {bad.reason}", file=sys.stderr)
    print(
        f"read {report.read} records: {len(report.created)} articles created, "
        f"{len(report.already_present)} already present (unchanged), {len(report.bad)} bad"
    )
    return 1 if report.bad and not report.created and not report.already_present else 0


def cmd_extract(settings: Settings, args: argparse.Namespace) -> int:
    from ingest.extract_queue import extract_queued, status

    url, sessions = open_database(settings)
    if args.status:
        done, waiting = status(sessions)
        print(f"{done} articles extracted, {waiting} waiting")
        return 0
    count = extract_queued(url, sessions, workers=args.workers, batch_size=args.batch_size, progress=True)
    print(f"extracted {count} articles")
    return 0


def cmd_reprocess(settings: Settings, args: argparse.Namespace) -> int:
    from ingest.reprocess import reprocess_articles

    _, sessions = open_database(settings)
    report = reprocess_articles(
        sessions, everything=args.all, batch_size=args.batch_size, n_process=args.processes, progress=True
    )
    print(f"reprocessed {report.reprocessed} articles")
    return 0


def cmd_reindex(settings: Settings, args: argparse.Namespace) -> int:
    from db.search_index import IndexBusy, open_search_index, reindex

    _, sessions = open_database(settings)
    index = open_search_index(settings.annals_data_dir)
    try:
        count = reindex(sessions, index, progress=lambda n: print(f"\rindexed {n}", end="", flush=True))
    except IndexBusy:
        print("a running `annals serve` holds the search index: stop it first", file=sys.stderr)
        return 1
    finally:
        index.release_writer()
    print(f"\rsearch index rebuilt: {count} articles in {index.directory}")
    return 0


def cmd_evaluate(settings: Settings, args: argparse.Namespace) -> int:
    import json

    from db.articles import derived_by_external_id
    from ingest.scoring import format_report, from_stored, score

    gold = json.loads(Path(args.gold).read_text(encoding="utf-8"))
    external_ids = [article["external_id"] for article in gold["articles"]]
    _, sessions = open_database(settings)
    with sessions() as session:
        derived = derived_by_external_id(session, external_ids)
    missing = sorted(set(external_ids) - set(derived))
    if missing:
        print(
            f"annals evaluate: not in the database: {', '.join(missing)} (load them first)", file=sys.stderr
        )
        return 2
    predicted = {external_id: from_stored(article) for external_id, article in derived.items()}
    print(format_report(score(gold, predicted)))
    return 0


def cmd_create_key(settings: Settings, args: argparse.Namespace) -> int:
    from db.api_keys import KeyNameTaken, create_api_key

    _, sessions = open_database(settings)
    try:
        with sessions.begin() as session:
            secret = create_api_key(session, args.name, args.scope)
    except KeyNameTaken as error:
        print(f"annals create-key: {error}", file=sys.stderr)
        return 1
    print(f"created key {args.name!r} with scope {args.scope}; the secret is shown only now:")
    print(secret)
    return 0


def cmd_revoke_key(settings: Settings, args: argparse.Namespace) -> int:
    from db.api_keys import revoke_api_key

    _, sessions = open_database(settings)
    with sessions.begin() as session:
        revoked = revoke_api_key(session, args.name)
    print(f"revoked key {args.name!r}" if revoked else f"no active key named {args.name!r}")
    return 0 if revoked else 1


def cmd_export(settings: Settings, args: argparse.Namespace) -> int:
    """The files GET /v1/{events,articles,entities}/export serve, written by the same code."""
    import datetime as dt

    from api.exports import ExportFormat, article_chunks, entity_chunks, event_chunks
    from db.articles import ArticleFilters
    from db.events import DEFAULT_STATUSES, EventFilters
    from db.taxonomy import types_named

    export = ExportFormat(args.format)
    if export is ExportFormat.geojson and args.kind != "events":
        print("annals export: geojson is for events only", file=sys.stderr)
        return 2
    unknown = [name for name in args.type if not types_named(name)] if args.kind == "events" else []
    if unknown:
        print(f"annals export: unknown event type {unknown[0]!r}", file=sys.stderr)
        return 2
    date_from = dt.date.fromisoformat(args.date_from) if args.date_from else None
    date_to = dt.date.fromisoformat(args.date_to) if args.date_to else None
    _, sessions = open_database(settings)
    if args.kind == "events":
        filters = EventFilters(
            types=[kind for name in args.type for kind in types_named(name)],
            countries=args.country,
            date_from=date_from,
            date_to=date_to,
            statuses=tuple(args.status) or DEFAULT_STATUSES,
        )
        chunks = event_chunks(sessions, filters, export)
    elif args.kind == "articles":
        chunks = article_chunks(
            sessions, ArticleFilters(sources=args.source, date_from=date_from, date_to=date_to), export
        )
    else:
        chunks = entity_chunks(
            sessions,
            export,
            entity_type=args.type[0] if args.type else None,
            country=(args.country or [None])[0],
        )
    if args.output == "-":
        sys.stdout.writelines(chunks)
    else:
        with open(args.output, "w", encoding="utf-8", newline="") as out:
            out.writelines(chunks)
    return 0


def bootstrap_embedded(settings: Settings) -> str:
    """For `serve` on the embedded server: migrate, and load the demo corpus into an empty database."""
    from db.articles import count_articles
    from ingest.load import load_records
    from ingest.reader import read_articles

    url, sessions = open_database(settings)
    with sessions() as session:
        empty = count_articles(session) == 0
    if empty and settings.annals_load_seed:
        report = load_records(sessions, read_articles(SEED_CORPUS), progress=True)
        print(f"loaded the demo corpus: {len(report.created)} articles")
    return url


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from api.app import configure_logging, create_app

    # one access line per request, api.middleware's (with the request id and time), not uvicorn's as well
    configure_logging()
    if not settings.database_url:
        url = bootstrap_embedded(settings)
        settings = settings.model_copy(update={"database_url": url})
        os.environ["DATABASE_URL"] = url  # for worker processes started by uvicorn
    if args.workers > 1:
        uvicorn.run(
            "api.app:create_app",
            factory=True,
            host=args.host,
            port=args.port,
            workers=args.workers,
            server_header=False,
            access_log=False,
        )
    else:
        uvicorn.run(
            create_app(settings), host=args.host, port=args.port, server_header=False, access_log=False
        )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="annals", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="serve the API (embedded database unless DATABASE_URL is set)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(run=cmd_serve)

    migrate = commands.add_parser("migrate", help="upgrade the database schema to the latest migration")
    migrate.set_defaults(run=cmd_migrate)

    load = commands.add_parser(
        "load", help="load articles: a JSON Lines file (.jsonl or .jsonl.gz) or a folder"
    )
    load.add_argument("path")
    load.add_argument("--batch-size", type=int, default=50, help="articles per transaction")
    load.add_argument(
        "--processes",
        type=int,
        default=0,
        help="NLP worker processes (default: 2 for inputs of 512 KiB or more)",
    )
    load.add_argument(
        "--defer-extraction",
        action="store_true",
        help="store the articles (searchable at once) and leave the NLP to `annals extract`",
    )
    load.set_defaults(run=cmd_load)

    extract = commands.add_parser(
        "extract", help="run the NLP on articles loaded with --defer-extraction (resumable, parallel)"
    )
    extract.add_argument("--workers", type=int, default=1, help="worker processes sharing the queue")
    extract.add_argument("--batch-size", type=int, default=20, help="articles per transaction")
    extract.add_argument("--status", action="store_true", help="only say how far extraction has got")
    extract.set_defaults(run=cmd_extract)

    reprocess = commands.add_parser(
        "reprocess", help="re-run extraction for articles whose pipeline version is older than the code's"
    )
    reprocess.add_argument("--all", action="store_true", help="every article, whatever its version")
    reprocess.add_argument("--batch-size", type=int, default=50, help="articles per transaction")
    reprocess.add_argument("--processes", type=int, default=1, help="NLP worker processes")
    reprocess.set_defaults(run=cmd_reprocess)

    reindex = commands.add_parser(
        "reindex", help="rebuild the search index in ANNALS_DATA_DIR from the database, from scratch"
    )
    reindex.set_defaults(run=cmd_reindex)

    evaluate = commands.add_parser(
        "evaluate",
        help="score the stored entities and events against a gold annotation (seed-gold.json shape)",
    )
    evaluate.add_argument("gold", help="e.g. ../shared/corpus/seed-gold.json")
    evaluate.set_defaults(run=cmd_evaluate)

    create_key = commands.add_parser("create-key", help="create an API key and print its secret once")
    create_key.add_argument("name", help="who or what the key is for, e.g. 'curator-anna'")
    create_key.add_argument(
        "--scope", choices=["read", "write", "admin"], default="read", help="default: read (least privilege)"
    )
    create_key.set_defaults(run=cmd_create_key)

    export = commands.add_parser(
        "export", help="write every event, article or entity (or those matching filters) to a file"
    )
    export.add_argument("kind", choices=["events", "articles", "entities"])
    export.add_argument("--format", choices=["csv", "ndjson", "geojson"], default="csv")
    export.add_argument("--output", "-o", default="-", help="a file; default: standard output")
    export.add_argument(
        "--type",
        action="append",
        default=[],
        help="events: an Annals or ACLED type; entities: an entity type",
    )
    export.add_argument(
        "--country", action="append", default=[], help="ISO 3166-1 alpha-2 (events, entities)"
    )
    export.add_argument("--source", action="append", default=[], help="articles: publisher name")
    export.add_argument("--from", dest="date_from", help="YYYY-MM-DD (events: date; articles: published)")
    export.add_argument("--to", dest="date_to", help="YYYY-MM-DD")
    export.add_argument(
        "--status", action="append", default=[], choices=["auto", "verified", "rejected"], help="events"
    )
    export.set_defaults(run=cmd_export)

    revoke_key = commands.add_parser("revoke-key", help="revoke an API key by name")
    revoke_key.add_argument("name")
    revoke_key.set_defaults(run=cmd_revoke_key)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Expected failures (no database, an unmigrated one) are one line on stderr and exit code 2."""
    args = build_parser().parse_args(argv)
    try:
        code: int = args.run(Settings(), args)
    except NotMigrated as error:
        print(f"annals {args.command}: {error}", file=sys.stderr)
        return 2
    except DatabaseUnavailable as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else "connection failed"
        print(f"annals {args.command}: cannot reach the database: {reason}", file=sys.stderr)
        return 2
    return code


if __name__ == "__main__":
    raise SystemExit(main())
