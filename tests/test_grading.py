"""Ranking, quotas and moves: examples and properties."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kxassess.engine.grading import (
    SortKey,
    assign_grades,
    band_size,
    competition_ranks,
    select_bottom,
    select_moves,
    select_top,
)
from kxassess.numbers import quota
from kxassess.scheme.model import GradeQuota

# Jiangsu: 「依次按照前位30%、中位40%、后位30%的比例分别设置A、B、C」
ABC = (
    GradeQuota(grade="A", fraction=Fraction(3, 10), side="top"),
    GradeQuota(grade="B", side="rest"),
    GradeQuota(grade="C", fraction=Fraction(3, 10), side="bottom"),
)
# The old reading, both A and B counted from the top (still how a file without `from` reads)
TOP_ONLY = (
    GradeQuota(grade="A", fraction=Fraction(3, 10)),
    GradeQuota(grade="B", fraction=Fraction(2, 5)),
    GradeQuota(grade="C"),
)


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


def counts(grades: dict[str, str], names: str = "ABC") -> tuple[int, ...]:
    return tuple(sum(1 for g in grades.values() if g == name) for name in names)


# The worked examples of the banding rule, counted by hand: k(A) = k(C) = round_half_up(0.3·n).
# n=1: 0.3 → 0, 0; n=2: 0.6 → 1, 1; n=3: 0.9 → 1, 1; n=4: 1.2 → 1, 1; n=5: 1.5 → 2, 2;
# n=8: 2.4 → 2, 2; n=10: 3 → 3, 3; n=12: 3.6 → 4, 4; B is what is left.
@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, (0, 1, 0)),
        (2, (1, 0, 1)),
        (3, (1, 1, 1)),
        (4, (1, 2, 1)),
        (5, (2, 1, 2)),
        (8, (2, 4, 2)),
        (10, (3, 4, 3)),
        (12, (4, 4, 4)),
    ],
)
def test_worked_examples(n: int, expected: tuple[int, int, int]) -> None:
    graded = assign_grades(keys_of(*range(100, 100 - n, -1)), ABC)
    assert counts(graded.grades) == expected
    # the order follows the rank: A first, then B, then C
    order = [graded.grades[f"U{i:02d}"] for i in range(n)]
    assert order == sorted(order)


def test_lone_unit_is_b_with_warnings() -> None:
    graded = assign_grades(keys_of(90), ABC)
    assert graded.grades == {"U00": "B"}
    assert [(n.code, n.fields["grade"]) for n in graded.notes] == [
        ("band-rounds-zero", "A"),
        ("band-rounds-zero", "C"),
    ]


def test_old_top_only_reading_still_works() -> None:
    # n = 5: k(A) = round(1.5) = 2, k(B) = round(2) = 2 from the top, C the rest → 2/2/1
    graded = assign_grades(keys_of(*range(100, 95, -1)), TOP_ONLY)
    assert counts(graded.grades) == (2, 2, 1)


def test_tie_at_a_line_goes_to_better_grade() -> None:
    # n = 10, k(A) = 3; the 3rd and 4th are tied, so both are A (4 A, warning).
    graded = assign_grades(keys_of(100, 99, 98, 98, 97, 96, 95, 94, 93, 92), ABC)
    assert [graded.grades[f"U{i:02d}"] for i in range(10)] == list("AAAABBBCCC")
    assert [(n.code, n.fields) for n in graded.notes] == [
        ("band-tie", {"grade": "A", "quota": 3, "got": 4})
    ]


def test_tie_at_c_line_stays_out_of_c() -> None:
    # n = 10, k(C) = 3: the 7th and 8th tie across the line, both stay B → only 2 C.
    graded = assign_grades(keys_of(100, 99, 98, 97, 96, 95, 94, 94, 93, 92), ABC)
    assert [graded.grades[f"U{i:02d}"] for i in range(10)] == list("AAABBBBBCC")
    assert [(n.code, n.fields) for n in graded.notes] == [
        ("band-tie", {"grade": "C", "quota": 3, "got": 2})
    ]


def test_all_tied_group() -> None:
    # n = 4 all tied: everyone ranks 1 ≤ k(A) = 1, so all A and no C.
    graded = assign_grades(keys_of(80, 80, 80, 80), ABC)
    assert counts(graded.grades) == (4, 0, 0)
    assert {n.code for n in graded.notes} == {"band-tie", "group-all-tied"}


def test_ineligible_unit_skipped_for_best_grade() -> None:
    # U00 may not be A: A (k = 2) goes to the next two; C (k = 2) takes the bottom two.
    graded = assign_grades(keys_of(100, 99, 98, 97, 96), ABC, {"U00": 1})
    assert graded.grades == {"U00": "B", "U01": "A", "U02": "A", "U03": "C", "U04": "C"}


def test_min_group_and_rounding() -> None:
    floor_a = GradeQuota(grade="A", fraction=Fraction(3, 10), side="top", rounding="floor")
    ceil_c = GradeQuota(grade="C", fraction=Fraction(3, 10), side="bottom", rounding="ceil")
    rest = GradeQuota(grade="B", side="rest")
    # n = 5: floor(1.5) = 1 A, ceil(1.5) = 2 C
    assert counts(assign_grades(keys_of(*range(5)), (floor_a, rest, ceil_c)).grades) == (1, 2, 2)
    small = GradeQuota(grade="A", fraction=Fraction(3, 10), side="top", min_group=6)
    graded = assign_grades(keys_of(*range(5)), (small, rest))
    assert counts(graded.grades, "AB") == (0, 5)
    assert graded.notes[0].code == "band-min-group"
    assert band_size(Fraction(1, 3), 2, "floor") == 0
    assert band_size(Fraction(1, 3), 2, "ceil") == 1
    assert band_size(Fraction(1, 3), 2) == 1


def test_chongqing_bands_from_top() -> None:
    bands = (
        GradeQuota(grade="特等", fraction=Fraction(1, 5), side="top"),
        GradeQuota(grade="一等", fraction=Fraction(2, 5), side="top"),
        GradeQuota(grade="二等", side="rest"),
    )
    # n = 6: k(特等) = round(1.2) = 1, k(一等) = round(2.4) = 2, 二等 the other 3
    graded = assign_grades(keys_of(*range(100, 94, -1)), bands)
    assert counts(graded.grades, ("特等", "一等", "二等")) == (1, 2, 3)


def test_moves_warn_when_a_third_rounds_to_zero() -> None:
    chosen, notes = select_moves(keys_of(90), Fraction(1, 3), "promote", "A")
    assert chosen == set()
    assert [(n.code, n.fields["move"]) for n in notes] == [("move-rounds-zero", "升类")]
    # 3 C units, the 2nd and 3rd tied: k = 1, both stay (ties resolve in favour)
    chosen, notes = select_moves(keys_of(50, 40, 40), Fraction(1, 3), "demote", "C")
    assert chosen == set()
    assert [(n.code, n.fields["quota"], n.fields["got"]) for n in notes] == [("move-tie", 1, 0)]


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
    grades = assign_grades(keys, ABC).grades
    order = {"A": 0, "B": 1, "C": 2}
    assert set(grades) == set(keys)
    for u in keys:
        for v in keys:
            if keys[u] > keys[v]:
                assert order[grades[u]] <= order[grades[v]]
            if keys[u] == keys[v]:
                assert grades[u] == grades[v]


@given(key_maps)
def test_bands_counted_from_their_side(keys: dict[str, SortKey]) -> None:
    n = len(keys)
    graded = assign_grades(keys, ABC)
    grades = graded.grades
    k = quota(Fraction(3, 10), n)
    a = {u for u, g in grades.items() if g == "A"}
    c = {u for u, g in grades.items() if g == "C"}
    # A: at least k (ties add), each A unit has fewer than k units strictly above it
    assert len(a) >= min(k, n)
    assert all(sum(1 for v in keys.values() if v > keys[u]) < k for u in a)
    # C: at most k (ties stay out); a C unit has at most k units (itself included) at or
    # below it among the units that are not A
    assert len(c) <= k
    rest = {u: keys[u] for u in keys if u not in a}
    assert all(sum(1 for v in rest.values() if v <= keys[u]) <= k for u in c)
    if len(set(keys.values())) == n:  # no ties: exact quotas, B absorbs the rounding
        assert (len(a), len(c)) == (k, k)
        assert not graded.notes or all(n_.code == "band-rounds-zero" for n_ in graded.notes)
    elif len(a) != k or len(c) != k:
        assert any(n_.code in ("band-tie", "band-rounds-zero") for n_ in graded.notes)


@given(key_maps, st.dictionaries(st.text("ABCDEFGH", min_size=1, max_size=3), st.integers(0, 2)))
def test_nobody_above_their_best_allowed_grade(
    keys: dict[str, SortKey], allowed: dict[str, int]
) -> None:
    grades = assign_grades(keys, ABC, allowed).grades
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


roundings = st.sampled_from(["half_up", "floor", "ceil"])


@given(key_maps, roundings, roundings)
def test_bands_partition_the_group(keys: dict[str, SortKey], top: str, bottom: str) -> None:
    bands = (
        GradeQuota(grade="A", fraction=Fraction(3, 10), side="top", rounding=top),  # type: ignore[arg-type]
        GradeQuota(grade="B", side="rest"),
        GradeQuota(grade="C", fraction=Fraction(3, 10), side="bottom", rounding=bottom),  # type: ignore[arg-type]
    )
    graded = assign_grades(keys, bands)
    assert set(graded.grades) == set(keys)
    n = len(keys)
    k_a, k_c = band_size(Fraction(3, 10), n, top), band_size(Fraction(3, 10), n, bottom)  # type: ignore[arg-type]
    a, _, c = counts(graded.grades)
    if len(set(keys.values())) == n and k_a + k_c <= n:
        assert (a, c) == (k_a, k_c)
    if (a, c) != (k_a, k_c):  # a band that differs from its quota is always said
        assert any(note.code in ("band-tie", "band-short") for note in graded.notes)


@given(key_maps, st.sampled_from(["promote", "demote"]))
def test_moves_say_when_they_differ_from_the_quota(keys: dict[str, SortKey], move: str) -> None:
    chosen, notes = select_moves(keys, Fraction(1, 3), move, "A")  # type: ignore[arg-type]
    k = quota(Fraction(1, 3), len(keys))
    codes = [n.code for n in notes]
    if keys and k == 0:
        assert chosen == set() and codes == ["move-rounds-zero"]
    elif len(chosen) != k:
        assert codes == ["move-tie"]
    else:
        assert codes == []
