"""Export memory: peak RSS of `annals export events` and of the API streaming /v1/events/export.

Fills a scratch database (dropped at the end) with N synthetic events — each with an actor, a target,
a place and an evidence sentence, spread over 1,000 articles — by INSERT ... SELECT generate_series
on the server, then runs the real CLI export to /dev/null in a subprocess per size, and (with
--http) starts `annals serve` and streams GET /v1/events/export through HTTP, and prints a Markdown
table of times and peak resident memory (the server's, for HTTP). Flat memory means the peak does
not grow with N.

    .venv/bin/python bench/export_memory.py postgresql+psycopg://postgres@127.0.0.1:5432/postgres \
        --sizes 10000 100000 1000000 --format csv --http
"""

from __future__ import annotations

import argparse
import os
import platform
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from db.migrations import upgrade_to_head  # noqa: E402

ARTICLES = 1000
CHILD = """
import resource, sys
from cli.main import main
code = main(["export", "events", "--format", sys.argv[1], "-o", "/dev/null"])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, code)
"""

FILL = [
    """
    INSERT INTO source (name) VALUES ('Bench Wire'), ('Reuters')
    """,
    """
    INSERT INTO article (title, text, content_hash, source_id, published_at, external_id)
    SELECT 'Bench article ' || n,
           'Rebels of the Front ' || n || ' attacked an army post near Town ' || n || ' on Monday, killing '
               || (n % 9) || ' soldiers. Officials said fighting went on overnight.',
           md5('bench' || n), 1 + n % 2, timestamptz '2020-01-01' + n * interval '1 hour', 'bench-' || n
    FROM generate_series(1, :articles) AS n
    """,
    """
    INSERT INTO entity (name, name_key, entity_type, place_kind, country_code, admin1, latitude, longitude)
    VALUES ('Front', 'front', 'group', NULL, NULL, NULL, NULL, NULL),
           ('Army', 'army', 'organization', NULL, NULL, NULL, NULL, NULL),
           ('Town', 'town', 'location', 'city', 'AF', 'Kandahar', 31.6, 65.7)
    """,
    """
    INSERT INTO event (event_type, date_start, date_end, date_precision, location_entity_id,
                       location_text, country_code, admin1, latitude, longitude, fatalities,
                       fatalities_qualifier, summary, confidence, extractor_version)
    SELECT 'attack', date '2000-01-01' + (n % 9000), date '2000-01-01' + (n % 9000), 'day', 3, 'Town',
           'AF', 'Kandahar', 31.6, 65.7, n % 9, 'exact', 'Front attacked Army near Town', 0.8, 1
    FROM generate_series(1, :events) AS n
    """,
    """
    INSERT INTO event_participant (event_id, entity_id, role)
    SELECT event_id, 1, 'actor' FROM event UNION ALL SELECT event_id, 2, 'target' FROM event
    """,
    """
    INSERT INTO event_evidence (event_id, article_id, sentence_start, sentence_end, quote)
    SELECT e.event_id, a.article_id, 0, position('.' IN a.text), left(a.text, position('.' IN a.text))
    FROM event AS e JOIN article AS a ON a.article_id = 1 + e.event_id % :articles
    """,
    "ANALYZE",
]


def fill(url: str, events: int) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        tables = "article, entity, event, source, change_log"
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        for statement in FILL:
            connection.execute(text(statement), {"articles": ARTICLES, "events": events})
    engine.dispose()


def export(url: str, export_format: str) -> tuple[float, int]:
    """Seconds and peak RSS (KiB) of one `annals export events` run in a fresh process."""
    started = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-c", CHILD, export_format],
        env={**os.environ, "DATABASE_URL": url},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    elapsed = time.perf_counter() - started
    peak, code = run.stdout.split()
    assert code == "0", run.stderr
    return elapsed, int(peak)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def peak_rss_kib(pid: int) -> int:
    """VmHWM: the process's peak resident set so far."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM")


def export_over_http(url: str, export_format: str) -> tuple[float, int, int]:
    """Seconds, the server's peak RSS (KiB) and the bytes received streaming the export over HTTP."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "cli", "serve", "--port", str(port)],
        env={**os.environ, "DATABASE_URL": url},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/health").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.2)
        received = 0
        started = time.perf_counter()
        with httpx.stream("GET", f"{base}/v1/events/export?format={export_format}", timeout=None) as response:
            response.raise_for_status()
            for chunk in response.iter_raw():
                received += len(chunk)
        return time.perf_counter() - started, peak_rss_kib(server.pid), received
    finally:
        server.terminate()
        server.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("server_url", help="a PostgreSQL server to create the scratch database on")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--format", default="csv", choices=["csv", "ndjson", "geojson"])
    parser.add_argument("--http", action="store_true", help="also stream GET /v1/events/export from a server")
    parser.add_argument("--skip-cli", action="store_true", help="measure the HTTP export only")
    args = parser.parse_args()
    name = f"annals_export_bench_{os.getpid()}"
    admin = create_engine(make_url(args.server_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(args.server_url).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade_to_head(url)
        print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
        print(f"format: {args.format}\n")
        print(
            "| events | fill s | CLI export s | events/s | CLI peak RSS "
            + "| HTTP export s | MB sent (gzip) | server peak RSS |"
        )
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        for size in args.sizes:
            started = time.perf_counter()
            fill(url, size)
            filled = time.perf_counter() - started
            row = f"| {size:,} | {filled:.0f} |"
            if args.skip_cli:
                row += " | | |"
            else:
                seconds, peak = export(url, args.format)
                row += f" {seconds:.1f} | {size / seconds:,.0f} | {peak / 1024:.0f} MiB |"
            if args.http:
                http_seconds, server_peak, received = export_over_http(url, args.format)
                row += f" {http_seconds:.1f} | {received / 1e6:,.1f} | {server_peak / 1024:.0f} MiB |"
            else:
                row += " | | |"
            print(row, flush=True)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
