"""The docs must render with no internet: the assets are served by the app itself."""

import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
OPERATIONS = [
    "Search articles", "Get an article", "Load articles", "Look up entities", "Get an entity",
    "Articles mentioning an entity", "Events of an entity", "List events", "Create an event by hand",
    "Get an event", "Curate an event", "curation history", "Events over time", "Liveness", "Readiness",
    "Merge an entity into another", "Split aliases off into a new entity", "Curate an entity",
    "An entity's curation history", "Who controlled a place, and when", "Who controlled each place on a day",
    "Reconcile names with entities", "Reconcile a batch of names posted as a form", "Preview an entity",
    "Suggest entities", "Suggest entity types", "Suggest properties", "What most needs a curator",
    "Verify or reject events in bulk",
    "List articles", "Changes since a position", "Export events", "Export articles", "Export entities",
    "Count events by group",
]  # fmt: skip


def test_the_operations_listed_are_all_the_operations(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    summaries = [
        op["summary"] for ops in spec["paths"].values() for method, op in ops.items() if method != "head"
    ]
    assert len(summaries) == len(OPERATIONS)
    assert all(("head" in ops) == ("get" in ops) for ops in spec["paths"].values())
    assert all(any(name in summary for summary in summaries) for name in OPERATIONS)


def test_docs_reference_only_local_assets(client: TestClient) -> None:
    for page in ("/docs", "/redoc"):
        html = client.get(page).text
        assert "cdn.jsdelivr.net" not in html and "fonts.googleapis.com" not in html, page
        assert "/docs-assets/" in html, page
    assert client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200
    assert client.get("/docs-assets/redoc.standalone.js").status_code == 200


def test_every_operation_has_a_summary_and_described_parameters(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            assert operation.get("summary"), f"{method} {path}"
            assert operation.get("description"), f"{method} {path}"
            for parameter in operation.get("parameters", []):
                assert parameter.get("description"), f"{method} {path} {parameter['name']}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def live_server(database_url: str) -> Iterator[str]:
    port = free_port()
    app = create_app(Settings(database_url=database_url, _env_file=None))  # type: ignore[call-arg]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def render(url: str) -> str:
    assert CHROMIUM is not None
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--virtual-time-budget=15000",
        "--dump-dom",
        url,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True).stdout


@pytest.mark.browser
@pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"), reason="chromium is not installed (.ci/run installs it)"
)
@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_render_every_operation_in_headless_chromium(live_server: str, page: str) -> None:
    dom = render(live_server + page)
    for operation in OPERATIONS:
        assert operation in dom, f"{operation} missing from {page}"
