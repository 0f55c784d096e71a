"""End-to-end load speed: `annals load` of N Reuters-21578 stories into a fresh database.

Runs the real CLI in a subprocess (NLP, entity resolution, event extraction and PostgreSQL writes
included), alternating --processes values so that the figures are measured side by side, and prints
a Markdown table of medians with the peak memory of the largest process. Also counts the events the
pipeline finds in this economic newswire, which reports almost none.

    .venv/bin/python bench/load_speed.py --count 1000 --runs 3 --processes 1 2
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reuters import DEFAULT_SOURCE, reuters_articles

ROOT = Path(__file__).resolve().parent.parent
ANNALS = ROOT / ".venv" / "bin" / "annals"


def fresh_database(server_url: str, name: str) -> str:
    admin = create_engine(make_url(server_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def run_load(database_url: str, corpus: Path, processes: int) -> tuple[float, float]:
    """(seconds, peak RSS in MiB of the largest process) of one `annals load` into an empty database."""
    env = {**os.environ, "DATABASE_URL": database_url}
    subprocess.run([str(ANNALS), "migrate"], env=env, check=True, capture_output=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run(
        [str(ANNALS), "load", str(corpus), "--processes", str(processes)],
        env=env,
        check=True,
        capture_output=True,
    )
    elapsed = time.perf_counter() - started
    peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
    return elapsed, peak


def event_counts(database_url: str) -> dict[str, int]:
    engine = create_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT event_type, count(*) FROM event GROUP BY 1 ORDER BY 2 DESC")
        ).all()
        rows.append(("articles", connection.execute(text("SELECT count(*) FROM article")).scalar_one()))
    engine.dispose()
    return {str(name): int(count) for name, count in rows}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    default_server = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    parser.add_argument("--server", default=os.environ.get("BENCH_DATABASE_URL", default_server))
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "reuters.jsonl"
        with corpus.open("w", encoding="utf-8") as out:
            for n, article in enumerate(reuters_articles(args.source)):
                if n >= args.count:
                    break
                out.write(json.dumps(article) + "\n")
        timings: dict[int, list[float]] = {p: [] for p in args.processes}
        peaks: dict[int, float] = dict.fromkeys(args.processes, 0.0)
        for run in range(args.runs):
            for processes in args.processes:
                url = fresh_database(args.server, "annals_bench")
                seconds, peak = run_load(url, corpus, processes)
                timings[processes].append(seconds)
                peaks[processes] = max(peaks[processes], peak)
                print(
                    f"run {run + 1} --processes {processes}: {args.count / seconds:.1f} articles/s",
                    file=sys.stderr,
                )
        counts = event_counts(url)

    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"corpus: first {args.count} Reuters-21578 stories (body 200+ chars), {args.runs} runs each\n")
    print("| --processes | median s | median articles/s | runs (articles/s) | peak RSS, largest process |")
    print("| --- | --- | --- | --- | --- |")
    for processes in args.processes:
        median = statistics.median(timings[processes])
        each = ", ".join(f"{args.count / s:.1f}" for s in timings[processes])
        speed = args.count / median
        print(f"| {processes} | {median:.1f} | {speed:.1f} | {each} | {peaks[processes]:.0f} MiB |")
    print(f"\nevents found in the last run: {json.dumps(counts)}")


if __name__ == "__main__":
    main()
