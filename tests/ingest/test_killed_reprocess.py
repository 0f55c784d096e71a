"""`annals reprocess` killed with SIGKILL part-way, then run again: every article is whole at every
moment (its derived rows all old or all new, never a mix or a gap) and the rerun adds no duplicates."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from db.migrations import upgrade_to_head
from tests.conftest import drop_database, recreate_database

ROOT = Path(__file__).resolve().parent.parent.parent
CLI = ["-c", "import sys; from cli.main import main; sys.exit(main(sys.argv[1:]))"]
DERIVED = text(
    "SELECT a.article_id, "
    "(SELECT count(*) FROM mention m WHERE m.article_id = a.article_id), "
    "(SELECT count(*) FROM event_evidence e WHERE e.article_id = a.article_id) "
    "FROM article a ORDER BY a.article_id"
)


def articles(count: int) -> str:
    lines = []
    for n in range(count):
        text_ = (
            f"Rebels attacked the town of Orvek on Monday, killing {n + 3} soldiers, officials said. "
            f"Police arrested {n + 2} men in Kandahar on Sunday after the attack, the governor said. "
            f"Story number {n}."
        )
        lines.append(json.dumps({"external_id": f"kill-{n}", "published_at": "2021-07-05", "text": text_}))
    return "\n".join(lines) + "\n"


def annals(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, *CLI, *args], env=env, cwd=ROOT, check=True, capture_output=True)


def test_a_killed_reprocess_leaves_whole_articles_and_its_rerun_no_duplicates(
    base_url: str, tmp_path: Path
) -> None:
    name = f"annals_killed_reprocess_{os.getpid()}"
    url = recreate_database(base_url, name)
    try:
        upgrade_to_head(url)
        corpus = tmp_path / "corpus.jsonl"
        corpus.write_text(articles(120))
        env = {**os.environ, "DATABASE_URL": url}
        subprocess.run(
            [sys.executable, *CLI, "load", str(corpus)], env=env, cwd=ROOT, check=True, capture_output=True
        )
        engine = create_engine(url)
        with engine.begin() as connection:
            before = connection.execute(DERIVED).all()
            events_before = connection.scalar(text("SELECT count(*) FROM event"))
            version = connection.scalar(text("SELECT max(pipeline_version) FROM article"))
            connection.execute(text("UPDATE article SET pipeline_version = 0"))
        assert all(mentions and evidence for _, mentions, evidence in before)

        run = subprocess.Popen(
            [sys.executable, *CLI, "reprocess", "--batch-size", "5"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 120
        done = 0
        while time.monotonic() < deadline and run.poll() is None:
            with engine.connect() as connection:
                done = connection.scalar(
                    text("SELECT count(*) FROM article WHERE pipeline_version = :v"), {"v": version}
                )
            if done >= 10:
                break
            time.sleep(0.05)
        os.kill(run.pid, signal.SIGKILL)
        run.wait()
        assert 10 <= done < 120, "the kill landed part-way through the run"

        with engine.connect() as connection:
            assert connection.execute(DERIVED).all() == before  # no article half done
            remaining = connection.scalar(text("SELECT count(*) FROM article WHERE pipeline_version = 0"))
        assert 0 < remaining < 120

        subprocess.run(
            [sys.executable, *CLI, "reprocess"], env=env, cwd=ROOT, check=True, capture_output=True
        )
        with engine.connect() as connection:
            assert connection.execute(DERIVED).all() == before
            assert connection.scalar(text("SELECT count(*) FROM event")) == events_before
            assert connection.scalar(text("SELECT count(*) FROM article WHERE pipeline_version = 0")) == 0
        engine.dispose()
    finally:
        drop_database(base_url, name)
