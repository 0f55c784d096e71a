"""Kept-alive connections closed now and then, so that clients holding theirs spread over the workers."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI
from fastapi.responses import PlainTextResponse
from fastapi.testclient import TestClient

from api.middleware import ConnectionRecyclingMiddleware


def small_app(every: int, chances: list[float] | None = None) -> FastAPI:
    app = FastAPI()

    @app.get("/")
    def hello() -> PlainTextResponse:
        return PlainTextResponse("hello")

    @app.get("/own")
    def own() -> PlainTextResponse:
        return PlainTextResponse("kept", headers={"Connection": "keep-alive"})

    draws = iter(chances or [])
    app.add_middleware(ConnectionRecyclingMiddleware, every=every, chance=lambda: next(draws, 0.99))
    return app


def test_about_one_response_in_every_asks_the_client_to_close() -> None:
    with TestClient(small_app(1)) as client:
        assert all(client.get("/").headers.get("connection") == "close" for _ in range(5))
        assert client.get("/own").headers["connection"] == "keep-alive"  # a handler's own is kept
    with TestClient(small_app(0)) as client:
        assert all("connection" not in client.get("/").headers for _ in range(5))
    # 1 in 4: a draw below a quarter closes
    with TestClient(small_app(4, [0.5, 0.24, 0.9, 0.0, 0.25])) as client:
        closing = [client.get("/").headers.get("connection") == "close" for _ in range(5)]
    assert closing == [False, True, False, True, False]


@contextmanager
def served(app: FastAPI) -> Iterator[int]:
    """The app behind a real uvicorn server on a free loopback port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def two_requests_on_one_connection(port: int) -> tuple[bytes, bytes]:
    """What the server answers to two GETs sent one after the other on one kept-alive connection."""
    request = b"GET / HTTP/1.1\r\nHost: test\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(request)
        first = connection.recv(65536)
        try:
            connection.sendall(request)
            second = connection.recv(65536)
        except (BrokenPipeError, ConnectionResetError):
            second = b""
    return first, second


def test_uvicorn_closes_the_connection_after_a_response_that_says_so() -> None:
    with served(small_app(1)) as port:
        first, second = two_requests_on_one_connection(port)
    assert first.startswith(b"HTTP/1.1 200") and b"connection: close" in first.lower()
    assert second == b""  # closed: the client must reconnect, to whichever worker accepts first
    with served(small_app(0)) as port:
        first, second = two_requests_on_one_connection(port)
    assert first.startswith(b"HTTP/1.1 200") and second.startswith(b"HTTP/1.1 200")
