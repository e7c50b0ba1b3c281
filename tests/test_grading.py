"""Ranking, quotas and moves (SPEC §5 rules 4–5): examples and properties."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from kxassess.engine.grading import (
    SortKey,
    assign_grades,
    competition_ranks,
    select_bottom,
    select_top,
)
from kxassess.numbers import quota

ABC = [("A", Fraction(3, 10)), ("B", Fraction(2, 5)), ("C", None)]


def keys_of(*totals: float | str) -> dict[str, SortKey]:
    return {f"U{i:02d}": (Decimal(str(t)),) for i, t in enumerate(totals)}


# A few distinct values make ties likely; a second element plays the tie-breaker.
key_values = st.tuples(
    st.sampled_from([Decimal(v) for v in ("60", "70.5", "80", "80.01", "90", "95")]),
    st.sampled_from([Decimal("1"), Decimal("2")]),
)
key_maps = st.dictionaries(
    st.text("ABCDEFGH", min_size=1, max_size=3), key_values, min_size=0, max_size=25
)


def test_competition_ranks_share_and_skip() -> None:
    ranks = competition_ranks(keys_of(90, 80, 80, 70))
    assert ranks == {"U00": 1, "U01": 2, "U02": 2, "U03": 4}


def test_tie_breaker_orders_equal_totals() -> None:
    keys = {"x": (Decimal("84.40"), Decimal("84.00")), "y": (Decimal("84.40"), Decimal("85.50"))}
    assert competition_ranks(keys) == {"y": 1, "x": 2}


def test_grades_ten_units() -> None:
    grades = assign_grades(keys_of(*range(100, 90, -1)), ABC)
    assert [grades[f"U{i:02d}"] for i in range(10)] == list("AAABBBBCCC")


def test_tie_at_boundary_goes_to_better_grade() -> None:
    # n = 10, k(A) = 3; the 3rd and 4th are tied, so both are A; B still takes 4.
    grades = assign_grades(keys_of(100, 99, 98, 98, 97, 96, 95, 94, 93, 92), ABC)
    assert [grades[f"U{i:02d}"] for i in range(10)] == list("AAAABBBBCC")


def test_ineligible_unit_skipped_for_best_grade() -> None:
    # U00 may not be A: A goes to the next best; U00 competes for B.
    grades = assign_grades(keys_of(100, 99, 98, 97, 96), ABC, {"U00": 1})
    assert grades == {"U00": "B", "U01": "A", "U02": "A", "U03": "B", "U04": "C"}


def test_promote_and_demote_thirds() -> None:
    assert select_top(keys_of(100, 99, 98), Fraction(1, 3)) == {"U00"}
    assert select_top(keys_of(100, 99), Fraction(1, 3)) == {"U00"}  # round(0.67) = 1
    assert select_top(keys_of(100), Fraction(1, 3)) == set()  # round(0.33) = 0
    assert select_bottom(keys_of(50, 40, 30), Fraction(1, 3)) == {"U02"}
    # tie across the demotion boundary: both stay (count 3, k 1, stay = rank ≤ 2)
    assert select_bottom(keys_of(50, 40, 40), Fraction(1, 3)) == set()


@given(key_maps)
def test_ranks_count_strictly_better(keys: dict[str, SortKey]) -> None:
    ranks = competition_ranks(keys)
    for u, key in keys.items():
        assert ranks[u] == 1 + sum(1 for v in keys.values() if v > key)


@given(key_maps)
def test_grades_are_monotone_and_ties_share(keys: dict[str, SortKey]) -> None:
    grades = assign_grades(keys, ABC)
    order = {"A": 0, "B": 1, "C": 2}
    assert set(grades) == set(keys)
    for u in keys:
        for v in keys:
            if keys[u] > keys[v]:
                assert order[grades[u]] <= order[grades[v]]
            if keys[u] == keys[v]:
                assert grades[u] == grades[v]


@given(key_maps)
def test_grade_quota_reached_and_exceeded_only_by_ties(keys: dict[str, SortKey]) -> None:
    n = len(keys)
    grades = assign_grades(keys, ABC)
    remaining = dict(keys)
    for grade, fraction in ABC[:-1]:
        assert fraction is not None
        k = quota(fraction, n)
        got = {u for u, g in grades.items() if g == grade}
        assert len(got) >= min(k, len(remaining))
        for u in got:  # each holder ranks within k among the units still unassigned
            assert sum(1 for v in remaining.values() if v > keys[u]) < k
        if len(set(remaining.values())) == len(remaining):
            assert len(got) == min(k, len(remaining))
        for u in got:
            del remaining[u]


@given(key_maps, st.dictionaries(st.text("ABCDEFGH", min_size=1, max_size=3), st.integers(0, 2)))
def test_nobody_above_their_best_allowed_grade(
    keys: dict[str, SortKey], allowed: dict[str, int]
) -> None:
    grades = assign_grades(keys, ABC, allowed)
    order = {"A": 0, "B": 1, "C": 2}
    for u, g in grades.items():
        assert order[g] >= allowed.get(u, 0)


@given(key_maps)
def test_promotion_closed_upward_and_sized(keys: dict[str, SortKey]) -> None:
    chosen = select_top(keys, Fraction(1, 3))
    k = quota(Fraction(1, 3), len(keys))
    assert len(chosen) >= k
    for u in chosen:
        assert all(v in chosen for v in keys if keys[v] >= keys[u])
    if len(set(keys.values())) == len(keys):
        assert len(chosen) == k


@given(key_maps)
def test_demotion_closed_downward_and_never_over_quota(keys: dict[str, SortKey]) -> None:
    demoted = select_bottom(keys, Fraction(1, 3))
    k = quota(Fraction(1, 3), len(keys))
    assert len(demoted) <= k
    for u in demoted:
        assert all(v in demoted for v in keys if keys[v] <= keys[u])
        # a demoted unit is never tied with a unit that stays (ties resolve in favour)
        assert all(v in demoted for v in keys if keys[v] == keys[u])
    if len(set(keys.values())) == len(keys):
        assert len(demoted) == k
