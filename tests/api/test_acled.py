"""ACLED's derived codes, as its codebook defines them."""

from __future__ import annotations

import pytest

from api.acled import inter_code, interaction
from db.events import EntityRef


@pytest.mark.parametrize(
    ("inter1", "inter2", "expected"),
    [
        (1, 2, 12),  # state forces against rebels
        (2, 1, 12),  # the smaller code first, whichever side it is on
        (8, 7, 78),
        (3, 3, 33),  # two militias
        (6, 0, 60),  # protesters alone
        (0, 7, 70),  # only a target named
        (0, 0, 0),
    ],
)
def test_interaction_is_the_two_actor_codes_smaller_first(inter1: int, inter2: int, expected: int) -> None:
    assert interaction(inter1, inter2) == expected


@pytest.mark.parametrize(
    ("name", "kind", "role", "event_type", "expected"),
    [
        ("Afghan forces", "group", "target", "attack", 1),  # a group the extractor named, of the state
        ("Riot police", "group", "target", "protest", 1),  # the police that met a protest
        ("opposition supporters", "group", "actor", "protest", 6),
        ("protesters", "group", "actor", "riot", 5),  # a crowd's own violence: rioters
        ("mob", "group", "actor", "riot", 5),
        ("police", "group", "target", "riot", 1),
        ("militants", "group", "actor", "attack", 2),
        ("gunmen", "group", "actor", "attack", 2),
        ("villagers", "group", "target", "attack", 7),
        ("Afghan National Army", "organization", "actor", "armed_clash", 1),
        ("Taliban", "organization", "actor", "attack", 2),  # an armed group by name, not 'other forces'
        ("Taliban forces", "group", "actor", "armed_clash", 2),
        ("al-Shabaab", "organization", "target", "remote_violence", 2),
    ],
)
def test_actor_codes_of_extracted_groups(
    name: str, kind: str, role: str, event_type: str, expected: int
) -> None:
    assert inter_code(EntityRef(1, name, kind, None), role, event_type) == expected
