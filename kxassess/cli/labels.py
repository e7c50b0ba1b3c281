"""Raw values of the registry's rows as staff read them on screen: 升类 for ``promote``,
参加考核 for ``scored``, the scheme's own label for a flag; never ``None``."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING

from kxassess.issues import KxError

if TYPE_CHECKING:
    from kxassess.scheme import AnyScheme

# kxassess.result (and the scheme model under it) load when a row is first shown


def status_text(status: str) -> str:
    from kxassess.result import STATUS_LABELS

    return STATUS_LABELS.get(status, status)  # type: ignore[call-overload]


def move_text(move: str | None) -> str:
    from kxassess.result import MOVE_LABELS

    return MOVE_LABELS.get(move, move or "")


def grade_text(grade: str | None) -> str:
    return grade or ""


@cache
def _scheme(scheme_id: str) -> AnyScheme | None:
    from kxassess.scheme import load_builtin

    try:
        return load_builtin(scheme_id)
    except KxError:  # a user's scheme file: only its id is in the registry
        return None


def flags_text(flags: Iterable[str], scheme_id: str) -> str:
    """Flags by their labels: the scheme's ``flag_labels``, else the built-in ones."""
    from kxassess.result import flag_label

    scheme = _scheme(scheme_id)
    return "、".join(flag_label(f, scheme) for f in flags)
