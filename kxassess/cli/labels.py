"""Raw values of the registry's rows as staff read them on screen: 升类 for ``promote``,
参加考核 for ``scored``, the scheme's own label for a flag; never ``None``."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from kxassess.issues import KxError
from kxassess.result import MOVE_LABELS, STATUS_LABELS, flag_label
from kxassess.scheme import AnyScheme, load_builtin


def status_text(status: str) -> str:
    return STATUS_LABELS.get(status, status)  # type: ignore[call-overload]


def move_text(move: str | None) -> str:
    return MOVE_LABELS.get(move, move or "")


def grade_text(grade: str | None) -> str:
    return grade or ""


@cache
def _scheme(scheme_id: str) -> AnyScheme | None:
    try:
        return load_builtin(scheme_id)
    except KxError:  # a user's scheme file: only its id is in the registry
        return None


def flags_text(flags: Iterable[str], scheme_id: str) -> str:
    """Flags by their labels: the scheme's ``flag_labels``, else the built-in ones."""
    scheme = _scheme(scheme_id)
    return "、".join(flag_label(f, scheme) for f in flags)
