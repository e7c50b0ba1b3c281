"""The expert scores of a year as columns (numpy): one row per score, no object per score.

A national year has about two million scores and almost every one is a decimal with at
most two places. The table holds, per score, the judge, unit, indicator and 评委组 as
int32 codes into name lists, the value as an integer count of ``1/den`` for ONE common
``den`` (100 for ordinary scores; the least common multiple when an odd exact value, e.g.
a count's points of 10/3, has another denominator), whether it was imputed (a missing
score counted 0 under ``--allow-missing``), and where it came from as (place, row,
column): a ``file!sheet`` and a cell, or, with row −1, a source text (such as the
roster row of an imputed score). Address strings are built only when a message needs
one. Should the common denominator make the integers too large for exact int64 sums,
the values are held as Python ints instead (object arrays): slower, still exact.

Iterating the table yields :class:`~kxassess.inputs.Score` objects, one at a time, for
the few consumers that want them (project programmes, the results workbook's sheet of
every judge's scores); the national path (reading, checks, engine, 评委分析) uses the
columns.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from math import lcm
from typing import TYPE_CHECKING, overload

import numpy as np
import numpy.typing as npt

from kxassess.reading.cells import cell_ref

if TYPE_CHECKING:
    from kxassess.inputs import Score

I32 = npt.NDArray[np.int32]
# int64 holds the values when (largest |value|) × (number of scores) is below this: sums
# over every score stay below 2**63 with room for the 4× of 评委分析's twice-medians.
_INT64_SAFE = 2**60


@dataclass(frozen=True, eq=False)
class ScoreTable(Sequence["Score"]):
    judges: tuple[str, ...]
    units: tuple[str, ...]
    indicators: tuple[str, ...]
    groups: tuple[str, ...]
    places: tuple[str, ...]  # "file!sheet", or a whole source text (row −1)
    judge: I32
    unit: I32
    indicator: I32
    group: I32
    value: npt.NDArray[np.int64] | npt.NDArray[np.object_]  # numerators over ``den``
    den: int
    imputed: npt.NDArray[np.bool_]
    place: I32
    row: I32
    col: I32

    def __len__(self) -> int:
        return len(self.judge)

    def __bool__(self) -> bool:
        return len(self.judge) > 0

    def source(self, i: int) -> str:
        """Where score ``i`` came from, as an address (built only when asked)."""
        place = self.places[int(self.place[i])]
        row = int(self.row[i])
        return place if row < 0 else f"{place}!{cell_ref(row, int(self.col[i]))}"

    @overload
    def __getitem__(self, i: int) -> Score: ...

    @overload
    def __getitem__(self, i: slice) -> Sequence[Score]: ...

    def __getitem__(self, i: int | slice) -> Score | Sequence[Score]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        if not -len(self) <= i < len(self):
            raise IndexError(i)
        return self._score(i % len(self))

    def _score(self, i: int) -> Score:
        from kxassess.inputs import Score

        place = self.places[int(self.place[i])]
        row = int(self.row[i])
        at: str | tuple[str, int, int] = place if row < 0 else (place, row, int(self.col[i]))
        return Score(
            self.judges[self.judge[i]],
            self.units[self.unit[i]],
            self.indicators[self.indicator[i]],
            self.fraction(i),
            at,
            self.groups[self.group[i]],
            bool(self.imputed[i]),
        )

    def fraction(self, i: int) -> Fraction:
        return Fraction(int(self.value[i]), self.den)

    def __iter__(self) -> Iterator[Score]:
        """Each score as a :class:`Score`, made as it is asked for (one Fraction per
        distinct value, shared)."""
        from kxassess.inputs import Score

        judges, units, inds, groups = self.judges, self.units, self.indicators, self.groups
        places, den = self.places, self.den
        columns = zip(
            self.judge.tolist(),
            self.unit.tolist(),
            self.indicator.tolist(),
            self.group.tolist(),
            self.value.tolist(),
            self.place.tolist(),
            self.row.tolist(),
            self.col.tolist(),
            self.imputed.tolist(),
            strict=True,
        )
        shared: dict[int, Fraction] = {}
        for judge, unit, ind, group, value, place, row, col, imputed in columns:
            exact = shared.get(value)
            if exact is None:
                exact = Fraction(value, den)
                if len(shared) < 100_000:
                    shared[value] = exact
            at = places[place] if row < 0 else (places[place], row, col)
            yield Score(judges[judge], units[unit], inds[ind], exact, at, groups[group], imputed)

    @property
    def exact_ints(self) -> bool:
        """The values are int64 (else Python ints in an object array)."""
        return self.value.dtype != np.object_

    @classmethod
    def from_scores(cls, scores: Iterable[Score]) -> ScoreTable:
        builder = ScoreBuilder()
        for s in scores:
            at = s.at
            if isinstance(at, str):
                place, row, col = builder.place(at), -1, 0
            else:
                place, row, col = builder.place(at[0]), at[1], at[2]
            builder.add_one(
                builder.code(builder.judges, s.judge),
                builder.code(builder.units, s.unit),
                builder.code(builder.indicators, s.indicator),
                builder.code(builder.groups, s.group),
                s.value,
                place,
                row,
                col,
                s.imputed,
            )
        return builder.freeze()


def _names() -> dict[str, int]:
    return {}


@dataclass
class ScoreBuilder:
    """Collects scores in blocks (a judge sheet at once) or one by one, in order."""

    judges: dict[str, int] = field(default_factory=_names)
    units: dict[str, int] = field(default_factory=_names)
    indicators: dict[str, int] = field(default_factory=_names)
    groups: dict[str, int] = field(default_factory=_names)
    places: dict[str, int] = field(default_factory=_names)
    _blocks: list[tuple[npt.NDArray[np.int64], ...]] = field(default_factory=list)
    _hundredths: list[npt.NDArray[np.int64]] = field(default_factory=list)
    _odd: dict[int, Fraction] = field(default_factory=dict)  # index → a value not /100
    _size: int = 0
    _place_names: list[str] = field(default_factory=list)
    _singles: list[tuple[int, int, int, int, int, int, int, int, bool]] = field(
        default_factory=list
    )

    @staticmethod
    def code(names: dict[str, int], name: str) -> int:
        found = names.get(name)
        if found is None:
            found = names[name] = len(names)
        return found

    def place(self, text: str) -> int:
        return self.code(self.places, text)

    def place_name(self, code: int) -> str:
        """The ``file!sheet`` (or source text) of a place code, for a message."""
        if len(self._place_names) != len(self.places):
            self._place_names = list(self.places)
        return self._place_names[code]

    def __len__(self) -> int:
        return self._size + len(self._singles)

    def add_one(
        self,
        judge: int,
        unit: int,
        indicator: int,
        group: int,
        value: Fraction,
        place: int,
        row: int,
        col: int,
        imputed: bool = False,
    ) -> None:
        scaled = value * 100
        if scaled.denominator == 1 and abs(scaled.numerator) < 2**53:
            hundredths = int(scaled)
        else:
            hundredths = 0
            self._odd[len(self)] = value
        self._singles.append((judge, unit, indicator, group, hundredths, place, row, col, imputed))

    def add_hundredths(
        self, judge: int, unit: int, indicator: int, group: int, hundredths: int, *at: int
    ) -> None:
        """One score of ``hundredths`` / 100 at (place, row, column)."""
        place, row, col = at
        self._singles.append((judge, unit, indicator, group, hundredths, place, row, col, False))

    def _flush(self) -> None:
        if not self._singles:
            return
        columns = np.array([s[:8] for s in self._singles], dtype=np.int64).reshape(-1, 8)
        imputed = np.array([s[8] for s in self._singles], dtype=np.int64)
        self._blocks.append((*columns.T[:4], columns[:, 5], columns[:, 6], columns[:, 7], imputed))
        self._hundredths.append(columns[:, 4])
        self._size += len(self._singles)
        self._singles = []

    def add_block(
        self,
        judge: npt.ArrayLike,
        unit: npt.ArrayLike,
        indicator: npt.ArrayLike,
        group: npt.ArrayLike,
        hundredths: npt.NDArray[np.int64],
        place: npt.ArrayLike,
        row: npt.ArrayLike,
        col: npt.ArrayLike,
        odd: dict[int, Fraction] | None = None,
    ) -> None:
        """A block of scores (scalars are broadcast); ``odd``: position in the block →
        exact value, for the scores that are not whole hundredths."""
        self._flush()
        n = len(hundredths)
        if n == 0:
            return
        full = [
            np.broadcast_to(np.asarray(a, dtype=np.int64), (n,))
            for a in (judge, unit, indicator, group, place, row, col)
        ]
        self._blocks.append((*full, np.zeros(n, dtype=np.int64)))
        self._hundredths.append(np.asarray(hundredths, dtype=np.int64))
        for k, v in (odd or {}).items():
            self._odd[self._size + k] = v
        self._size += n

    def freeze(self) -> ScoreTable:
        self._flush()
        if self._blocks:
            cols = [np.concatenate([b[k] for b in self._blocks]) for k in range(8)]
            hundredths = np.concatenate(self._hundredths)
        else:
            cols = [np.zeros(0, dtype=np.int64) for _ in range(8)]
            hundredths = np.zeros(0, dtype=np.int64)
        den = 100
        for v in self._odd.values():
            if den % v.denominator:
                den = lcm(den, v.denominator)
        value: npt.NDArray[np.int64] | npt.NDArray[np.object_]
        scale = den // 100
        n = max(len(hundredths), 1)
        top = int(np.abs(hundredths).max()) if len(hundredths) else 0
        largest = top * scale
        for v in self._odd.values():
            largest = max(largest, int(abs(v) * den))
        if largest * n < _INT64_SAFE:
            value = hundredths * scale
            for i, v in self._odd.items():
                value[i] = int(v * den)
        else:  # exact Python ints: sums of these never overflow
            value = np.array([int(h) * scale for h in hundredths.tolist()] + [0], dtype=object)[:-1]
            for i, v in self._odd.items():
                value[i] = int(v * den)
        return ScoreTable(
            judges=tuple(self.judges),
            units=tuple(self.units),
            indicators=tuple(self.indicators),
            groups=tuple(self.groups),
            places=tuple(self.places),
            judge=cols[0].astype(np.int32),
            unit=cols[1].astype(np.int32),
            indicator=cols[2].astype(np.int32),
            group=cols[3].astype(np.int32),
            value=value,
            den=den,
            imputed=cols[7].astype(np.bool_),
            place=cols[4].astype(np.int32),
            row=cols[5].astype(np.int32),
            col=cols[6].astype(np.int32),
        )


def as_table(scores: ScoreTable | Iterable[Score]) -> ScoreTable:
    return scores if isinstance(scores, ScoreTable) else ScoreTable.from_scores(scores)
