"""Every query string is checked against the operation it reaches: an unknown parameter is a 422
naming the closest known one (a typo in a filter must not quietly return everything), and no
parameter may repeat more than MAX_REPEATS times (each value is work for the database)."""

from __future__ import annotations

import difflib

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from api.errors import InvalidParameter

MAX_REPEATS = 20


def query_names(dependant: Dependant) -> frozenset[str]:
    names = {param.alias for param in dependant.query_params}
    for dependency in dependant.dependencies:
        names |= query_names(dependency)
    return frozenset(names)


def unknown_parameter_message(name: str, known: frozenset[str]) -> str:
    closest = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    if closest:
        return f"Unknown parameter {name!r}: did you mean {closest[0]}?"
    if known:
        return f"Unknown parameter {name!r}; this operation takes: {', '.join(sorted(known))}."
    return f"Unknown parameter {name!r}; this operation takes no query parameters."


async def check_query_parameters(request: Request) -> None:
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    known = query_names(route.dependant)
    for name in dict.fromkeys(request.query_params.keys()):
        if name not in known:
            raise InvalidParameter(name, unknown_parameter_message(name, known))
        if len(request.query_params.getlist(name)) > MAX_REPEATS:
            raise InvalidParameter(name, f"At most {MAX_REPEATS} values of {name}.")
