"""ACLED's derived codes, as its codebook defines them."""

from __future__ import annotations

import pytest

from api.acled import interaction


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
