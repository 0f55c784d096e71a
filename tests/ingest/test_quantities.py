import pytest

from ingest.article_extraction import Quantity
from ingest.events.quantities import add_quantities, coded_total, parse_quantity


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("46", Quantity(46, "exact")),
        ("five", Quantity(5, "exact")),
        ("twenty-five", Quantity(25, "exact")),
        ("more than 300", Quantity(300, "at_least")),
        ("around 1,000", Quantity(1000, "approximately")),
        ("some 11", Quantity(11, "approximately")),
        ("nearly 400", Quantity(400, "approximately")),
        ("up to 50", Quantity(50, "at_most")),
        ("at least a dozen", Quantity(12, "at_least")),
        ("dozens", Quantity(24, "range", 99)),
        ("Hundreds", Quantity(200, "range", 999)),
        ("between 10 and 20", Quantity(10, "range", 20)),
        ("1.5 million", Quantity(1_500_000, "exact")),
        ("4-5", Quantity(4, "range", 5)),
        ("at least 2-20", Quantity(2, "range", 20)),
    ],
)
def test_parse_quantity(text: str, expected: Quantity) -> None:
    assert parse_quantity(text) == expected


def test_no_number_is_no_quantity() -> None:
    assert parse_quantity("the last") is None
    assert parse_quantity("2 20") is None  # two figures side by side are not one number


def test_one_policeman_and_one_insurgent_add_up() -> None:
    assert add_quantities(Quantity(1, "exact"), Quantity(1, "exact")) == Quantity(2, "exact")
    assert add_quantities(None, Quantity(3, "exact")) == Quantity(3, "exact")


def test_vague_determiners_count_the_least_they_can_mean() -> None:
    assert parse_quantity("several") == Quantity(3, "at_least")
    assert parse_quantity("numerous") == Quantity(4, "at_least")
    assert parse_quantity("many") == Quantity(4, "at_least")  # as many as 'numerous'
    assert parse_quantity("a number") == Quantity(3, "at_least")
    assert parse_quantity("handful") == Quantity(3, "at_least")
    assert parse_quantity("as many as 30") == Quantity(30, "at_most")  # a qualifier, not a vague count
    assert parse_quantity("3-21") == Quantity(3, "range", 21)


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("Fatalities coded as 9 to include the attacker.", 9),
        ("Total fatalities coded is 6.", 6),
        ("14 total fatalities coded.", 14),
        ("(27 total fatalities coded)", 27),
        ("Total 5 fatalities were coded.", 5),
        ("Fatalities coded as half & rounded down = 3.", 3),
        ("Unknown fatalities coded as 10.", None),  # coded_toll's fallback, not a stated toll
        ("Unknown number of fatalities coded as 3.", None),
        ("Fatalities coded across 2 events.", None),
        ("9 fatalities coded across 3 events.", None),
        ("Fatalities for Nawa already coded as 4 in another event.", None),
    ],
)
def test_coded_total(note: str, expected: int | None) -> None:
    total = coded_total(note)
    assert (total.value if total else None) == expected
