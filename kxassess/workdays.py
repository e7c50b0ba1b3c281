"""Working days for the 公示 period: weekends and Chinese public holidays skipped, 调休
make-up workdays counted (chinesecalendar). A year the calendar does not know fails loudly
unless a holiday file covers it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import chinese_calendar
import yaml

from kxassess.issues import KxError


@dataclass(frozen=True)
class HolidayFile:
    """``years`` covered, their ``holidays`` (days off on weekdays) and ``workdays``
    (make-up workdays on weekends). Dates here win over the library's."""

    years: frozenset[int] = frozenset()
    holidays: frozenset[dt.date] = frozenset()
    workdays: frozenset[dt.date] = frozenset()
    source: str = ""


@dataclass(frozen=True)
class Calendar:
    extra: HolidayFile = field(default_factory=HolidayFile)

    def is_workday(self, day: dt.date) -> bool:
        if day in self.extra.workdays:
            return True
        if day in self.extra.holidays:
            return False
        if day.year in self.extra.years:
            return day.weekday() < 5
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:
            raise KxError(
                f"节假日日历还没有{day.year}年的数据：该年的法定节假日和调休上班日尚未公布，"
                f"无法计算公示期和通报日期。请用 --holidays 文件 给出{day.year}年的节假日安排"
            ) from None

    def next_workday(self, after: dt.date) -> dt.date:
        """The first working day after ``after`` (the 结果通报 follows the 公示's last day)."""
        day = after + dt.timedelta(days=1)
        while not self.is_workday(day):
            day += dt.timedelta(days=1)
        return day

    def period(self, start: dt.date, days: int) -> tuple[dt.date, dt.date]:
        """First and last day of ``days`` working days from ``start`` (or the next workday)."""
        if days < 1:
            raise KxError("公示期至少为1个工作日")
        day = start
        while not self.is_workday(day):
            day += dt.timedelta(days=1)
        first, counted = day, 1
        while counted < days:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                counted += 1
        return first, day


def _dates(values: object, key: str, source: str) -> frozenset[dt.date]:
    if values is None:
        return frozenset()
    if not isinstance(values, list):
        raise KxError(f"{key} 应为日期列表，如 [2027-01-01]", source)
    out = set()
    for v in values:
        if isinstance(v, dt.date):
            out.add(v)
            continue
        try:
            out.add(dt.date.fromisoformat(str(v)))
        except ValueError:
            raise KxError(
                f"{key}：{v!r} 不是日期（应写作 年-月-日，如 2027-01-01）", source
            ) from None
    return frozenset(out)


def load_holidays(path: Path) -> HolidayFile:
    """A YAML file: ``years: [2027]``, ``holidays: [2027-01-01, …]``, ``workdays: […]``."""
    source = str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise KxError(f"无法读取节假日文件（{exc}）", source) from exc
    if not isinstance(data, dict) or not set(data) <= {"years", "holidays", "workdays"}:
        raise KxError("节假日文件只能有 years、holidays、workdays 三项", source)
    years = data.get("years") or []
    if not isinstance(years, list) or not all(isinstance(y, int) for y in years):
        raise KxError("years 应为年份列表，如 [2027]", source)
    return HolidayFile(
        frozenset(years),
        _dates(data.get("holidays"), "holidays", source),
        _dates(data.get("workdays"), "workdays", source),
        source,
    )
