"""The API's route class: a sync handler runs on a worker thread, and nothing else of its request does."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool


class HandlersRunning:
    """How many of this process's handlers are running: changed on the event loop only, read anywhere
    (a hint, as exact as the moment it is read)."""

    count = 0


def handlers_running() -> int:
    """The handlers running in this process, the caller's included."""
    return HandlersRunning.count


def on_a_worker_thread(handler: Callable[..., Any]) -> Callable[..., Any]:
    """The handler as a coroutine that runs it on a worker thread. FastAPI reads the handler's
    parameters and their types through `functools.wraps`."""

    @functools.wraps(handler)
    async def run(**values: Any) -> Any:
        HandlersRunning.count += 1
        try:
            return await run_in_threadpool(handler, **values)
        finally:
            HandlersRunning.count -= 1

    return run


class OneHopRoute(APIRoute):
    """FastAPI runs a sync handler on a worker thread and then takes a second thread to check its
    response against the response model. Under load each hop waits for the GIL and then for the event
    loop, so a sync handler is registered as a coroutine that makes the one hop itself: the check of a
    response that is already an instance of its model then costs microseconds on the loop."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if not inspect.iscoroutinefunction(endpoint):
            endpoint = on_a_worker_thread(endpoint)
        super().__init__(path, endpoint, **kwargs)
