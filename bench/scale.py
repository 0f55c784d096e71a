"""The benchmark at scale: build a corpus, serve it as the README does, load-test it, compare with floors.

One command per size:

    python bench/scale.py --articles 100000 \
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres

1. builds the corpus with bench/corpus.py into a scratch database (`--reuse` keeps one already built)
   and the search index with `annals reindex`;
2. starts `annals serve` (uvicorn, `--workers`) on loopback and waits for /ready;
3. drives it from a load generator in its own process (asyncio, HTTP/1.1 keep-alive) at concurrency
   1, 8 and 32 over a mix of real query shapes, and records per shape and endpoint: throughput, p50/p95/p99,
   errors, and the server's CPU and memory (psutil over its process tree);
4. measures each shape's floors in the same run: the SQL the API ran for it (captured from SQLAlchemy)
   re-executed through psycopg on one connection with the API's planner settings, warmed up as the
   server's connections are, and for search and the entity pages the tantivy work alone (for search the
   page, its count and its snippets);
5. writes bench/scaling/scale-<articles>.json, plots every size measured so far
   (bench/scaling/scaling.png) and rewrites the scale section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import functools
import json
import multiprocessing
import os
import platform
import random
import re
import shlex
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "scaling"  # figures only: no text of the corpus
BEGIN, END = "<!-- scale:begin -->", "<!-- scale:end -->"
CONCURRENCY = (1, 8, 32)
# Done-when budgets at concurrency 8 (p95, ms) per endpoint group.
BUDGETS = {
    "http": 10,
    "search": 150,
    "autocomplete": 20,
    "events": 100,
    "timeline": 100,
    "article": 10,
    "entity": 100,
}


def corpus_built(maintenance_url: str, database: str, data_dir: Path) -> bool:
    """Whether there is a corpus for --reuse to keep: its database and its search index."""
    from sqlalchemy import create_engine, text

    engine = create_engine(maintenance_url)
    with engine.connect() as connection:
        found = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": database}
        ).first()
    engine.dispose()
    return found is not None and (data_dir / "search-index").is_dir()


def shapes(database_url: str) -> list[tuple[str, str, list[str]]]:
    """(shape, endpoint group, paths): real query shapes over what the corpus holds."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.connect() as connection:
        popular = connection.execute(
            text("SELECT entity_id, name FROM entity ORDER BY mention_count DESC LIMIT 3")
        ).all()
        tail = connection.execute(
            text(
                "SELECT entity_id, name FROM entity WHERE mention_count > 0 "
                "ORDER BY mention_count, entity_id LIMIT 1"
            )
        ).one()
        place = connection.execute(
            text(
                "SELECT name, country_code FROM entity WHERE entity_type = 'location' "
                "ORDER BY mention_count DESC"
            )
        ).first()
        province = connection.execute(
            text("SELECT entity_id FROM entity WHERE place_kind = 'province' ORDER BY mention_count DESC")
        ).first()
        max_article = int(connection.execute(text("SELECT max(article_id) FROM article")).scalar_one())
    engine.dispose()
    assert place is not None
    rng = random.Random(1)
    top_id, top_name = popular[0]
    country = place[1]
    year = 2019
    catalogue = [
        ("health (the HTTP stack alone)", "http", ["/health"]),
        ("search: common word", "search", ["/v1/search?q=said"]),
        ("search: two words", "search", ["/v1/search?q=oil+prices"]),
        ("search: phrase", "search", ['/v1/search?q="oil+prices"']),
        ("search: OR, exclusion", "search", ["/v1/search?q=opec+OR+crude+-gold"]),
        ("search: rare name", "search", [f"/v1/search?q={tail[1].split()[0]}"]),
        ("search: common word, facets", "search", ["/v1/search?q=said&facets=true&histogram=year"]),
        (
            "search: filters",
            "search",
            [f"/v1/search?q=said&from={year}-01-01&to={year}-12-31&country={country}&event_type=attack"],
        ),
        ("search: newest, entity", "search", [f"/v1/search?sort=newest&entity={top_id}"]),
        ("autocomplete: prefix", "autocomplete", [f"/v1/entities?q={name[:4]}" for _, name in popular]),
        ("autocomplete: typo", "autocomplete", [f"/v1/entities?q={top_name[:-1]}x"]),
        ("entity page", "entity", [f"/v1/entities/{entity_id}" for entity_id, _ in popular]),
        ("entity articles", "entity", [f"/v1/entities/{top_id}/articles?limit=20"]),
        ("events: type, country", "events", [f"/v1/events?type=attack&country={country}"]),
        (
            "events: participant, dates",
            "events",
            [f"/v1/events?participant={top_id}&from={year}-01-01&to={year}-06-30"],
        ),
        ("events: GeoJSON", "events", [f"/v1/events?format=geojson&country={country}&limit=100"]),
        ("events: CSV", "events", ["/v1/events?format=csv&type=armed_clash&limit=100"]),
        ("timeline: all years", "timeline", ["/v1/timeline?interval=month"]),
        ("timeline: per entity", "timeline", [f"/v1/timeline?entity={top_id}&interval=month"]),
        (
            "timeline: country, type",
            "timeline",
            [f"/v1/timeline?country={country}&type=attack&interval=week"],
        ),
        ("article by id", "article", [f"/v1/articles/{rng.randint(1, max_article)}" for _ in range(50)]),
    ]
    if province is not None:  # its area is by admin1: the rollups plus the (country_code, admin1) index
        catalogue.append(
            ("timeline: province", "timeline", [f"/v1/timeline?entity={province[0]}&interval=month"])
        )
    return catalogue


# --- the load generator (its own process) ------------------------------------------------------------


def request_target(path: str) -> str:
    """The path as a client library would send it (quoted, its query's separators kept)."""
    return quote(path, safe="/?&=+%")


async def get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str) -> tuple[int, bool]:
    """One GET on a kept-alive HTTP/1.1 connection: the status (the body read to its end, by
    Content-Length or chunked) and whether the server keeps the connection open. A few lines of
    asyncio rather than an HTTP client library, so that the generator's own CPU (on the same two
    cores as the server) stays small: httpx spends about a millisecond of CPU per request."""
    target = request_target(path)
    writer.write(f"GET {target} HTTP/1.1\r\nHost: bench\r\nAccept-Encoding: gzip\r\n\r\n".encode())
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = dict(line.lower().split(": ", 1) for line in lines[1:] if ": " in line)
    if headers.get("transfer-encoding") == "chunked":
        while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
            await reader.readexactly(size + 2)
        await reader.readuntil(b"\r\n")
    else:
        await reader.readexactly(int(headers.get("content-length", "0")))
    return status, headers.get("connection") != "close"


def drive(base: str, mix: list[tuple[str, str]], concurrency: int, seconds: float, out: Any) -> None:
    host, port = urlsplit(base).hostname, urlsplit(base).port

    async def run() -> list[tuple[str, float, int]]:
        records: list[tuple[str, float, int]] = []
        deadline = time.perf_counter() + seconds

        async def worker(n: int) -> None:
            order = random.Random(n)
            connection: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
            while time.perf_counter() < deadline:
                shape, path = mix[order.randrange(len(mix))]
                start = time.perf_counter()
                try:
                    connection = connection or await asyncio.open_connection(host, port)
                    status, keep_alive = await asyncio.wait_for(get(*connection, path), timeout=30)
                except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
                    status, keep_alive = 0, False  # an error, counted; the next request reconnects
                records.append((shape, time.perf_counter() - start, status))
                if not keep_alive and connection is not None:
                    connection[1].close()
                    connection = None
            if connection is not None:
                connection[1].close()

        await asyncio.gather(*(worker(n) for n in range(concurrency)))
        return records

    out.put(asyncio.run(run()))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))] * 1000


def load_test(
    base: str, server: Any, mix: list[tuple[str, str]], concurrency: int, seconds: float
) -> dict[str, Any]:
    import psutil

    processes = [server, *server.children(recursive=True)]
    cpu_before = sum(sum(p.cpu_times()[:2]) for p in processes)
    queue: Any = multiprocessing.get_context("spawn").Queue()
    generator = multiprocessing.get_context("spawn").Process(
        target=drive, args=(base, mix, concurrency, seconds, queue)
    )
    started = time.perf_counter()
    generator.start()
    records: list[tuple[str, float, int]] = queue.get()
    generator.join()
    wall = time.perf_counter() - started
    processes = [server, *server.children(recursive=True)]
    cpu = sum(sum(p.cpu_times()[:2]) for p in processes) - cpu_before
    rss = sum(p.memory_info().rss for p in processes if p.is_running()) / 2**20
    per_shape: dict[str, dict[str, Any]] = {}
    for shape in sorted({shape for shape, _ in mix}):
        latencies = [latency for name, latency, _ in records if name == shape]
        errors = sum(1 for name, _, status in records if name == shape and status != 200)
        per_shape[shape] = {
            "requests": len(latencies),
            "throughput": len(latencies) / seconds,
            "p50": percentile(latencies, 0.5) if latencies else None,
            "p95": percentile(latencies, 0.95) if latencies else None,
            "p99": percentile(latencies, 0.99) if latencies else None,
            "errors": errors,
        }
    del psutil
    return {
        "concurrency": concurrency,
        "seconds": seconds,
        "throughput": len(records) / seconds,
        "errors": sum(1 for _, _, status in records if status != 200),
        "server_cpu_cores": cpu / wall,
        "server_rss_mib": rss,
        "shapes": per_shape,
    }


def cpu_per_request(
    base: str,
    server: Any,
    mix: list[tuple[str, str]],
    catalogue: list[tuple[str, str, list[str]]],
    seconds: float,
) -> dict[str, Any]:
    """Per shape, the CPU one request costs the server (its processes) and PostgreSQL (every process of
    the server's, background work included), from requests one after another for `seconds` (CPU times
    are read in ticks of 10 ms: a second of requests reads them to about 1%); and each shape's share of
    the mix's CPU. Under load the cores are the limit: a mix costing C ms of CPU per request cannot be
    served faster than cores / C, whatever the concurrency.

    Each request's latency is kept too: the shape's p50 alone, warmed up and one after another, is
    measured as its floors are (the p50 at concurrency 1 comes from the mix, where each shape follows
    others and finds the caches they left)."""
    import http.client

    import psutil

    def cpu_seconds(processes: list[Any]) -> float:
        total = 0.0
        for process in processes:
            with contextlib.suppress(psutil.Error):  # exited, or not ours to read
                total += sum(process.cpu_times()[:2])
        return total

    address = urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname or "127.0.0.1", address.port)

    def get(path: str) -> None:
        connection.request("GET", request_target(path), headers={"Accept-Encoding": "gzip"})
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{path}: {response.status}")

    weights = {shape: sum(1 for name, _ in mix if name == shape) / len(mix) for shape, _, _ in catalogue}
    costs: dict[str, dict[str, float]] = {}
    for shape, _, paths in catalogue:
        for path in paths:  # warm: each path once, not counted
            get(path)
        servers = [server, *server.children(recursive=True)]
        databases = [p for p in psutil.process_iter(["name"]) if p.info["name"] in ("postgres", "postmaster")]
        server_before, database_before = cpu_seconds(servers), cpu_seconds(databases)
        requests = 0
        latencies = []
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline or requests < len(paths):
            start = time.perf_counter()
            get(paths[requests % len(paths)])
            latencies.append(time.perf_counter() - start)
            requests += 1
        costs[shape] = {
            "server_ms": (cpu_seconds(servers) - server_before) / requests * 1000,
            "database_ms": (cpu_seconds(databases) - database_before) / requests * 1000,
            "requests": requests,
            "p50_ms": statistics.median(latencies) * 1000,
        }
    connection.close()
    mean = sum((cost["server_ms"] + cost["database_ms"]) * weights[shape] for shape, cost in costs.items())
    for shape, cost in costs.items():
        cost["share"] = (cost["server_ms"] + cost["database_ms"]) * weights[shape] / mean if mean else 0.0
        cost["weight"] = weights[shape]
    return {"seconds": seconds, "shapes": costs, "mean_ms": mean, "cores": os.cpu_count() or 1}


# --- floors ----------------------------------------------------------------------------------------------


# Replays before a floor is timed: the server's connections have prepared its statements long since
# (psycopg at the sixth execution) and kept the plans of its keyed reads (PostgreSQL after five more).
WARM_UP = 12


def median_ms(work: Any, reps: int) -> float:
    timings = []
    for _ in range(reps):
        start = time.perf_counter()
        work()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000


# (statement, parameters, keyed): keyed if the API ran it inside db.engine.keyed_reads
Captured = tuple[str, Any, bool]


def run_statements(connection: Any, statements: list[Captured]) -> None:
    """The statements as the API runs them: those it ran as keyed reads in a transaction of their own
    that lets PostgreSQL keep their plan, the others planned for their values (the connection's
    settings are the API's)."""
    for statement, parameters, keyed in statements:
        if keyed:
            connection.execute("BEGIN; SET LOCAL plan_cache_mode = auto")
        cursor = connection.execute(statement, parameters)
        if cursor.description:
            cursor.fetchall()
        if keyed:
            connection.commit()


def search_once(searcher: Any, query: Any, has_words: bool, aggregations: dict[str, Any] | None) -> None:
    """What tantivy does for a page of search: the page and the exact total in one pass, the page's
    stored documents and their snippets (db.search_index.snippets, less its Python marking), and the
    facets' aggregations (when asked) on a thread of their own meanwhile, as search_with_facets runs
    them."""
    import tantivy

    from db.search_index import AGGREGATING, SCHEMA, SNIPPET_CHARS

    counting = AGGREGATING.submit(searcher.aggregate, query, aggregations) if aggregations else None
    if has_words:
        page = searcher.search(query, 21, count=True)
        generator = tantivy.SnippetGenerator.create(searcher, query, SCHEMA, "body")
        generator.set_max_num_chars(SNIPPET_CHARS)
        for _, address in page.hits[:20]:
            generator.snippet_from_doc(searcher.doc(address))
    else:
        page = searcher.search(query, 21, count=True, order_by_field="published")
        for _, address in page.hits[:20]:
            searcher.doc(address)
    if counting is not None:
        counting.result()


def floors(
    database_url: str, data_dir: Path, catalogue: list[tuple[str, str, list[str]]], reps: int
) -> dict[str, Any]:
    """Per shape: the SQL the API ran (captured once through the app in-process) re-run through psycopg;
    for search the tantivy work alone (page, count and snippets, with the facets overlapping them when
    asked); for an entity's page and articles the pass over its documents."""
    import psycopg
    from fastapi.testclient import TestClient
    from psycopg.pq import TransactionStatus
    from sqlalchemy import event
    from sqlalchemy.engine import Engine, make_url
    from sqlalchemy.orm import sessionmaker

    from api.app import create_app
    from api.settings import Settings
    from db.engine import PLANNED_FOR_EACH_EXECUTION
    from db.entities import CO_OCCURRING
    from db.search import SearchParams, SearchSort
    from db.search_index import (
        appearance_aggregations,
        facet_aggregations,
        full_query,
        mentioning,
        newest_mentioning,
        open_search_index,
    )
    from db.timeline import Interval

    IDLE = TransactionStatus.IDLE  # noqa: N806
    captured: list[Captured] = []

    def capture(
        conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
    ) -> None:
        if threading.current_thread().name != "search-index-follower":  # the request's SQL only
            # reads run in autocommit: a transaction open around one is a keyed read's
            in_transaction = conn.connection.driver_connection.info.transaction_status != IDLE
            captured.append((statement, parameters, in_transaction))

    settings = Settings(  # type: ignore[call-arg]
        database_url=database_url,
        annals_data_dir=data_dir,
        # as the server under load runs (see run): no rate limiter's statement in the floors
        annals_rate_limit_reads=0,
        annals_rate_limit_writes=0,
        annals_rate_limit_auth_failures=0,
        _env_file=None,
    )
    conninfo = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    index = open_search_index(data_dir)
    from sqlalchemy import create_engine

    engine = create_engine(database_url)
    sessions = sessionmaker(engine)
    result: dict[str, Any] = {}
    planner = " ".join(f"-c {name}={value}" for name, value in PLANNED_FOR_EACH_EXECUTION.items())
    with (
        TestClient(create_app(settings)) as client,
        psycopg.connect(conninfo, autocommit=True, options=planner) as connection,
    ):
        for shape, _, paths in catalogue:
            path = paths[0]
            client.get(path)  # warm
            captured.clear()
            event.listen(Engine, "before_cursor_execute", capture)
            try:
                assert client.get(path).status_code == 200, path
            finally:
                event.remove(Engine, "before_cursor_execute", capture)
            statements = [item for item in captured if "alembic_version" not in item[0]]
            replay = functools.partial(run_statements, connection, statements)
            for _ in range(WARM_UP):
                replay()
            floor = {
                "sql_ms": median_ms(replay, reps),
                "statements": len(statements),
                "plan": slowest_plan(connection, statements),
                "index_ms": 0.0,
            }
            if path.startswith("/v1/search"):
                query_params = parse_qs(urlsplit(path).query)
                q = query_params.get("q", [None])[0]
                params = SearchParams(
                    q=q,
                    date_from=dt.date.fromisoformat(query_params["from"][0])
                    if "from" in query_params
                    else None,
                    date_to=dt.date.fromisoformat(query_params["to"][0]) if "to" in query_params else None,
                    entities=query_params.get("entity", []),
                    countries=query_params.get("country", []),
                    event_types=query_params.get("event_type", []),
                    sort=SearchSort(query_params.get("sort", ["relevance" if q else "newest"])[0]),
                )
                with sessions() as session:
                    query, has_words = full_query(session, params)
                aggregations = None
                if "facets" in query_params:
                    aggregations = facet_aggregations(Interval(query_params.get("histogram", ["month"])[0]))
                work = functools.partial(search_once, index.searcher(), query, has_words, aggregations)
                floor["index_ms"] = median_ms(work, reps)
            elif entity_path := re.fullmatch(r"/v1/entities/(\d+)(/articles)?", urlsplit(path).path):
                # the entity page's one pass over the entity's documents (appearances), or the newest
                # of them for its articles (newest_mentioning)
                entity_id = int(entity_path.group(1))
                if entity_path.group(2):
                    limit = int(parse_qs(urlsplit(path).query).get("limit", ["20"])[0])
                    work = functools.partial(newest_mentioning, index, entity_id, limit, None)
                else:
                    aggregations = appearance_aggregations(CO_OCCURRING)
                    work = functools.partial(index.searcher().aggregate, mentioning(entity_id), aggregations)
                floor["index_ms"] = median_ms(work, reps)
            result[shape] = floor
    engine.dispose()
    return result


def slowest_plan(connection: Any, statements: list[Captured]) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of the shape's slowest statement, with the statement."""
    if not statements:
        return ""
    timed = []
    for statement, parameters, _ in statements:
        start = time.perf_counter()
        cursor = connection.execute(statement, parameters)
        if cursor.description:
            cursor.fetchall()
        timed.append((time.perf_counter() - start, statement, parameters))
    _, statement, parameters = max(timed, key=lambda item: item[0])
    plan = connection.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters).fetchall()
    return statement + "\n\n" + "\n".join(row[0] for row in plan)


# --- the run ----------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_ready(base: str, server: subprocess.Popen[bytes], timeout: float) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("annals serve exited")
        try:
            if httpx.get(base + "/ready", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError("the server was not ready in time")


def machine() -> str:
    import psutil

    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    memory = psutil.virtual_memory().total / 2**30
    return f"{model}, {os.cpu_count()} cores, {memory:.0f} GiB RAM, {platform.system()} {platform.release()}"


def run(args: argparse.Namespace) -> dict[str, Any]:
    import psutil
    from sqlalchemy.engine import make_url

    database_url = (
        make_url(args.database_url).set(database=args.database).render_as_string(hide_password=False)
    )
    data_dir = Path(args.data_dir or f"/tmp/annals-scale-{args.articles}")
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "ANNALS_DATA_DIR": str(data_dir),
        "PYTHONPATH": str(ROOT),
        # one load generator on one address: the per-address rate limits would measure themselves
        "ANNALS_RATE_LIMIT_READS": "0",
        "ANNALS_RATE_LIMIT_WRITES": "0",
        "ANNALS_RATE_LIMIT_AUTH_FAILURES": "0",
    }
    timings: dict[str, float] = {}
    if not (args.reuse and corpus_built(args.database_url, args.database, data_dir)):
        start = time.monotonic()
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "corpus.py"), "--articles", str(args.articles), "--seed",
             str(args.seed), "--database-url", args.database_url, "--database", args.database],
            check=True, env=env,
        )  # fmt: skip
        timings["corpus_s"] = time.monotonic() - start
        start = time.monotonic()
        subprocess.run([sys.executable, "-m", "cli", "reindex"], check=True, env=env, cwd=ROOT)
        timings["reindex_s"] = time.monotonic() - start
    # a corpus kept with --reuse is brought to the code's schema (a no-op when it is there already)
    subprocess.run([sys.executable, "-m", "cli", "migrate"], check=True, env=env, cwd=ROOT)
    catalogue = shapes(database_url)
    mix = [
        (shape, path)
        for shape, _, paths in catalogue
        for path in paths
        for _ in range(max(1, 4 // len(paths)))
    ]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "cli", "serve", "--port", str(port), "--workers", str(args.workers)],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    runs = []
    try:
        wait_ready(base, server, timeout=600)
        process = psutil.Process(server.pid)
        for concurrency in args.concurrency:
            print(f"load: concurrency {concurrency} for {args.seconds} s", file=sys.stderr)
            runs.append(load_test(base, process, mix, concurrency, args.seconds))
        print(f"cpu: {args.cost_seconds} s of requests per shape, one at a time", file=sys.stderr)
        costs = cpu_per_request(base, process, mix, catalogue, args.cost_seconds)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print("floors", file=sys.stderr)
    measured_floors = floors(database_url, data_dir, catalogue, reps=args.floor_reps)
    from db.search_index import open_search_index

    return {
        "articles": args.articles,
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "command": "python bench/scale.py " + shlex.join(sys.argv[1:]),
        "workers": args.workers,
        "timings": timings,
        "index_segments": open_search_index(data_dir).searcher().num_segments,
        "groups": {shape: group for shape, group, _ in catalogue},
        "runs": runs,
        "cpu": costs,
        "floors": measured_floors,
    }


# --- the report ------------------------------------------------------------------------------------------


def fmt(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def report(result: dict[str, Any]) -> str:
    lines = [
        f"## Scale: {result['articles']:,} generated articles, `annals serve --workers {result['workers']}`",
        "",
        f"Measured {result['date']} on {result['machine']}, shared with other work (figures are noisy).",
        f"Command: `{result['command']}`. Corpus: bench/corpus.py (Reuters and seed texts varied, about",
        "seven mentions and 2.3 events per article, Zipf-popular entities, ten years of dates), loaded",
        "with COPY; search index built with `annals reindex`"
        + (f" (index segments: {result['index_segments']})." if "index_segments" in result else ".")
        + (
            f" Corpus {fmt(result['timings'].get('corpus_s'), 0)} s, index "
            f"{fmt(result['timings'].get('reindex_s'), 0)} s."
            if result["timings"]
            else ""
        ),
        "",
    ]
    for load in result["runs"]:
        lines += [
            f"### Concurrency {load['concurrency']}: {fmt(load['throughput'])} requests/s, "
            f"{load['errors']} errors, server CPU {fmt(load['server_cpu_cores'], 2)} cores, "
            f"RSS {fmt(load['server_rss_mib'], 0)} MiB",
            "",
            "| shape | req/s | p50 ms | p95 ms | p99 ms | errors | p95 budget |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for shape, row in load["shapes"].items():
            budget = BUDGETS[result["groups"][shape]]
            verdict = "" if load["concurrency"] != 8 else (" ✓" if (row["p95"] or 1e9) <= budget else " ✗")
            lines.append(
                f"| {shape} | {fmt(row['throughput'])} | {fmt(row['p50'])} | {fmt(row['p95'])} | "
                f"{fmt(row['p99'])} | {row['errors']} | {budget}{verdict} |"
            )
        lines.append("")
    if "cpu" in result:
        cpu = result["cpu"]
        bound = cpu["cores"] / cpu["mean_ms"] * 1000 if cpu["mean_ms"] else None
        lines += [
            f"### CPU per request: {fmt(cpu['seconds'])} s of requests per shape, one at a time",
            "",
            f"The mix costs {fmt(cpu['mean_ms'], 2)} ms of CPU per request (server and PostgreSQL): on "
            f"{cpu['cores']} cores, shared with the load generator, at most {fmt(bound, 0)} requests/s. "
            "In a closed loop of N clients a request then takes N / throughput on average, whatever its "
            "own cost.",
            "",
            "| shape | server CPU ms | PostgreSQL CPU ms | share of requests % | share of CPU % |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        for shape, cost in cpu["shapes"].items():
            lines.append(
                f"| {shape} | {fmt(cost['server_ms'], 2)} | {fmt(cost['database_ms'], 2)} | "
                f"{fmt(cost['weight'] * 100)} | {fmt(cost['share'] * 100)} |"
            )
        lines.append("")
    single = next((load for load in result["runs"] if load["concurrency"] == 1), None)
    alone = result.get("cpu", {}).get("shapes", {})
    if single:
        lines += [
            "### Floors (same run): the SQL the API ran, through psycopg; the tantivy work alone",
            "",
            "Overhead: the API's p50 with each shape requested alone, one request after another (as the",
            "floors are replayed), less its floors. The p50 at concurrency 1 is the mix's: each request",
            "follows other shapes' and finds the caches they left. A search's index floor is tantivy's whole",
            "part of it: the page with its exact total, and the page's stored bodies with their snippets.",
            "",
            "| shape | API p50 ms (c=1, mix) | API p50 ms (alone) | SQL floor ms | statements "
            "| index floor ms | overhead ms | ratio |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for shape, floor in result["floors"].items():
            mixed = single["shapes"].get(shape, {}).get("p50")
            api = alone.get(shape, {}).get("p50_ms", mixed)
            total = floor["sql_ms"] + floor["index_ms"]
            overhead = None if api is None else api - total
            ratio = None if api is None or total == 0 else api / total
            lines.append(
                f"| {shape} | {fmt(mixed)} | {fmt(api)} | {fmt(floor['sql_ms'])} | {floor['statements']} | "
                f"{fmt(floor['index_ms'])} | {fmt(overhead)} | {fmt(ratio, 2)} |"
            )
        lines.append("")
    return "\n".join(lines)


def scaling_section() -> str:
    measured = sorted(
        (json.loads(path.read_text()) for path in RESULTS.glob("scale-*.json")), key=lambda r: r["articles"]
    )
    if len(measured) < 1:
        return ""
    groups = ["search", "autocomplete", "events", "timeline", "article"]
    lines = [
        "### Scaling: p50 ms at concurrency 1, median over each group's shapes",
        "",
        "| articles | " + " | ".join(groups) + " |",
        "| ---: | " + " | ".join("---:" for _ in groups) + " |",
    ]
    series: dict[str, list[float]] = {group: [] for group in groups}
    for result in measured:
        single = next(load for load in result["runs"] if load["concurrency"] == 1)
        row = []
        for group in groups:
            values = [
                s["p50"]
                for shape, s in single["shapes"].items()
                if result["groups"][shape] == group and s["p50"]
            ]
            value = statistics.median(values) if values else float("nan")
            series[group].append(value)
            row.append(fmt(value))
        lines.append(f"| {result['articles']:,} | " + " | ".join(row) + " |")
    plot(measured, series)
    lines += ["", "![p50 latency by corpus size](bench/scaling/scaling.png)", ""]
    return "\n".join(lines)


def plot(measured: list[dict[str, Any]], series: dict[str, list[float]]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [result["articles"] for result in measured]
    figure, axes = plt.subplots(figsize=(7, 4.5))
    for group, values in series.items():
        axes.plot(sizes, values, marker="o", label=group)
    axes.set_xscale("log")
    axes.set_xlabel("articles")
    axes.set_ylabel("p50 latency, ms (concurrency 1)")
    axes.set_title("Annals API latency by corpus size")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(RESULTS / "scaling.png", dpi=100)
    plt.close(figure)


def write_plans(result: dict[str, Any]) -> None:
    """The query plan of each shape's slowest statement, for the budgets missed (bench/scaling)."""
    parts = [f"# Query plans at {result['articles']:,} articles ({result['date']})", ""]
    for shape, floor in result["floors"].items():
        if floor.get("plan"):
            parts += [f"## {shape}", "", "```", floor["plan"], "```", ""]
    (RESULTS / f"plans-{result['articles']}.md").write_text("\n".join(parts))


def rewrite_benchmarks(result: dict[str, Any]) -> None:
    path = ROOT / "BENCHMARKS.md"
    content = path.read_text()
    section = f"{BEGIN}\n{report(result)}\n{scaling_section()}{END}"
    if BEGIN in content:
        content = content[: content.index(BEGIN)] + section + content[content.index(END) + len(END) :]
    else:
        content = content.rstrip() + "\n\n" + section + "\n"
    path.write_text(content)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url", required=True, help="the PostgreSQL server (any database on it)")
    parser.add_argument("--database", default=None, help="scratch database (default annals_scale_<articles>)")
    parser.add_argument("--data-dir", default=None, help="ANNALS_DATA_DIR of the run (the search index)")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the corpus and index already built (built when missing)"
    )
    parser.add_argument("--workers", type=int, default=2, help="annals serve --workers")
    parser.add_argument("--seconds", type=float, default=20.0, help="per concurrency level")
    parser.add_argument("--concurrency", type=int, nargs="+", default=list(CONCURRENCY))
    parser.add_argument("--floor-reps", type=int, default=15)
    parser.add_argument(
        "--cost-seconds", type=float, default=2.0, help="seconds of requests per shape for its CPU cost"
    )
    parser.add_argument("--no-write", action="store_true", help="print the report, write nothing (CI smoke)")
    args = parser.parse_args()
    args.database = args.database or f"annals_scale_{args.articles}"
    result = run(args)
    if args.no_write:
        print(report(result))
    else:
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / f"scale-{args.articles}.json").write_text(json.dumps(result, indent=1))
        write_plans(result)
        rewrite_benchmarks(result)
        print(report(result))
    errors = sum(load["errors"] for load in result["runs"])
    if errors:
        sys.exit(f"{errors} requests failed")


if __name__ == "__main__":
    main()
