"""Soak: concurrent reads and curation writes against `annals serve` on loopback for a while.

A scratch database gets the seed corpus and a write key; the API runs in a subprocess (rate limits
off through its settings: every request comes from one address). Reader threads search, list, look up
and page; writer threads read an event and PATCH it with If-Match, retrying on 412. At the end: the
count of each status (5xx must be 0), latency percentiles, the server's RSS over time, and whether
the audit trail holds exactly the acknowledged writes. Prints a Markdown summary.

    .venv/bin/python bench/soak.py --seconds 600 --readers 6 --writers 2
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
CLI = ["-c", "import sys; from cli.main import main; sys.exit(main(sys.argv[1:]))"]
READS = [
    ("/v1/search", {"q": "Taliban"}),
    ("/v1/search", {"q": "Taliban", "facets": "true", "histogram": "month"}),
    ("/v1/search", {"sort": "newest", "limit": "1"}),
    ("/v1/events", {}),
    ("/v1/events", {"country": "AF", "format": "csv"}),
    ("/v1/events", {"format": "geojson"}),
    ("/v1/entities", {"q": "stoltenburg"}),
    ("/v1/entities", {}),
    ("/v1/timeline", {"interval": "month"}),
    ("/v1/articles/1", {}),
    ("/v1/events/1/history", {}),
]


def fresh_database(server_url: str, name: str) -> str:
    admin = create_engine(make_url(server_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def annals(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, *CLI, *args], env=env, cwd=ROOT, check=True, capture_output=True)
    return done.stdout.decode()


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.statuses: collections.Counter[int] = collections.Counter()
        self.latencies: list[float] = []
        self.acknowledged = 0
        self.conflicts = 0

    def add(self, status: int, seconds: float) -> None:
        with self.lock:
            self.statuses[status] += 1
            self.latencies.append(seconds)


def timed(client: httpx.Client, tally: Tally, method: str, path: str, **kwargs: object) -> httpx.Response:
    started = time.perf_counter()
    response = client.request(method, path, **kwargs)  # type: ignore[arg-type]
    tally.add(response.status_code, time.perf_counter() - started)
    return response


def reader(base: str, until: float, tally: Tally, seed: int) -> None:
    pick = random.Random(seed)
    with httpx.Client(base_url=base, timeout=30) as client:
        while time.monotonic() < until:
            path, params = pick.choice(READS)
            timed(client, tally, "GET", path, params=params)


def writer(base: str, key: str, event_ids: list[int], until: float, tally: Tally, seed: int) -> None:
    pick = random.Random(seed)
    headers = {"Authorization": f"Bearer {key}"}
    with httpx.Client(base_url=base, timeout=30) as client:
        number = 0
        while time.monotonic() < until:
            event_id = pick.choice(event_ids)
            got = timed(client, tally, "GET", f"/v1/events/{event_id}")
            number += 1
            patch = {"summary": f"soak {seed}-{number}", "status": pick.choice(["auto", "verified"])}
            response = timed(
                client,
                tally,
                "PATCH",
                f"/v1/events/{event_id}",
                json=patch,
                headers={**headers, "If-Match": got.headers.get("etag", "")},
            )
            with tally.lock:
                if response.status_code == 200:
                    tally.acknowledged += 1
                elif response.status_code == 412:
                    tally.conflicts += 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--seconds", type=int, default=600)
    parser.add_argument("--readers", type=int, default=6)
    parser.add_argument("--writers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()

    name = f"annals_soak_{os.getpid()}"
    url = fresh_database(args.server_url, name)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "ANNALS_RATE_LIMIT_READS": "0",
        "ANNALS_RATE_LIMIT_WRITES": "0",
        "ANNALS_RATE_LIMIT_AUTH_FAILURES": "0",
    }
    annals(env, "migrate")
    annals(env, "load", str(ROOT / "ingest" / "data" / "seed.jsonl"))
    key = annals(env, "create-key", "soak-writer", "--scope", "write").strip().splitlines()[-1]
    engine = create_engine(url)
    with engine.connect() as connection:
        event_ids = [row[0] for row in connection.execute(text("SELECT event_id FROM event ORDER BY 1"))]
    server = subprocess.Popen(
        [sys.executable, *CLI, "serve", "--port", str(args.port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{base}/ready").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        tally = Tally()
        until = time.monotonic() + args.seconds
        threads = [threading.Thread(target=reader, args=(base, until, tally, n)) for n in range(args.readers)]
        threads += [
            threading.Thread(target=writer, args=(base, key, event_ids, until, tally, 100 + n))
            for n in range(args.writers)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        memory = [(0.0, rss_mib(server.pid))]
        while any(thread.is_alive() for thread in threads):
            time.sleep(1)
            if time.monotonic() - started - memory[-1][0] >= 10:
                memory.append((time.monotonic() - started, rss_mib(server.pid)))
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        server.wait()
    with engine.connect() as connection:
        audited = connection.scalar(text("SELECT count(*) FROM event_audit WHERE actor = 'soak-writer'"))
    engine.dispose()
    admin = create_engine(make_url(args.server_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()

    total = sum(tally.statuses.values())
    errors = sum(count for status, count in tally.statuses.items() if status >= 500)
    latencies = sorted(tally.latencies)
    tenth = max(1, len(memory) // 10)
    early = statistics.mean(rss for _, rss in memory[1 : 1 + tenth]) if len(memory) > 1 else memory[0][1]
    late = statistics.mean(rss for _, rss in memory[-tenth:])
    print(f"| duration | {elapsed:.0f} s, {args.readers} readers + {args.writers} writers |")
    print("| --- | --- |")
    print(f"| requests | {total:,} ({total / elapsed:.0f}/s) |")
    print(f"| statuses | {', '.join(f'{s}: {n:,}' for s, n in sorted(tally.statuses.items()))} |")
    print(f"| 5xx | {errors} |")
    p50, p99 = latencies[len(latencies) // 2], latencies[int(len(latencies) * 0.99)]
    print(
        f"| latency | p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms |"
    )
    print(
        f"| server RSS | start {memory[0][1]:.0f} MiB, first tenth {early:.0f} MiB, "
        f"last tenth {late:.0f} MiB, max {max(rss for _, rss in memory):.0f} MiB |"
    )
    print(
        f"| curation | {tally.acknowledged:,} PATCHes acknowledged, {tally.conflicts:,} answered 412; "
        f"audit rows by the soak key: {audited:,} |"
    )
    ok = errors == 0 and audited == tally.acknowledged
    verdict = "OK" if ok else "FAILED"
    print(f"\n{verdict}: 5xx = {errors}, audit rows = acknowledged writes: {audited == tally.acknowledged}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
