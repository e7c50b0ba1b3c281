"""Problems as data.

Validation never raises for a bad cell: it records an :class:`Issue` and goes on, so that
staff see every problem of a workbook in one run. Only a condition that stops the run
altogether (an unreadable file, an unknown scheme) raises :class:`KxError`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from kxassess.catalogue import Severity, entry, render

__all__ = ["Issue", "IssueList", "KxError", "Severity"]


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem found in the inputs.

    ``code`` is stable (tests and scripts may rely on it); ``source`` points at the place,
    e.g. ``2024.xlsx!专家评分!F17``, or just the file or ``file!sheet`` when there is no cell.
    """

    severity: Severity
    code: str
    source: str
    message: str

    @classmethod
    def of(cls, code: str, source: str, **params: object) -> Issue:
        """Issue ``code`` of the catalogue at ``source``, its template filled by ``params``."""
        return cls(entry(code).severity, code, source, render(code, params))

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def to_dict(self) -> dict[str, str]:
        return {
            "severity": str(self.severity),
            "code": self.code,
            "source": self.source,
            "message": self.message,
        }


@dataclass
class IssueList:
    """Issues gathered in the order they were found."""

    items: list[Issue] = field(default_factory=list)

    def add(self, code: str, source: str, **params: object) -> Issue:
        """Record issue ``code`` of the catalogue at ``source``, filling its template."""
        issue = Issue.of(code, source, **params)
        self.items.append(issue)
        return issue

    def error(self, code: str, source: str, message: str) -> None:
        self.items.append(Issue(Severity.ERROR, code, source, message))

    def warning(self, code: str, source: str, message: str) -> None:
        self.items.append(Issue(Severity.WARNING, code, source, message))

    def extend(self, other: Iterable[Issue]) -> None:
        self.items.extend(other)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.items if i.severity is Severity.ERROR]

    @property
    def has_errors(self) -> bool:
        return any(i.severity is Severity.ERROR for i in self.items)

    def __iter__(self) -> Iterator[Issue]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


class KxError(Exception):
    """A condition that stops the run; the message is written for staff, not developers."""

    def __init__(self, message: str, source: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.source = source

    def __str__(self) -> str:
        return f"{self.source}: {self.message}" if self.source else self.message
