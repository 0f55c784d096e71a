"""While the app serves, what was alive at startup is out of the cyclic collector's scans and young
objects are collected less often (api.app.server_garbage_collection); shutdown undoes both."""

from __future__ import annotations

import gc
import weakref

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.app import YOUNG_GENERATION_THRESHOLD, create_app
from api.settings import Settings


class Node:
    def __init__(self) -> None:
        self.itself = self  # a reference cycle: only the cyclic collector frees it


def test_startup_objects_are_frozen_while_serving_and_new_cycles_still_collected(
    database_url: str, seeded: Engine
) -> None:
    before = gc.get_threshold()
    settings = Settings(database_url=database_url, _env_file=None)  # type: ignore[call-arg]
    from_startup = Node()
    startup_ref = weakref.ref(from_startup)
    with TestClient(create_app(settings)) as client:
        assert client.get("/health").status_code == 200
        assert gc.get_threshold() == (YOUNG_GENERATION_THRESHOLD, *before[1:])
        assert gc.get_freeze_count() > 0

        del from_startup
        gc.collect()
        assert startup_ref() is not None  # frozen at startup: no pass looks at it

        made_while_serving = Node()
        serving_ref = weakref.ref(made_while_serving)
        del made_while_serving
        gc.collect()
        assert serving_ref() is None

    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert startup_ref() is None  # unfrozen at shutdown, and collected
