"""A unit whose code the registry knows under another name in the same population."""

from __future__ import annotations

from collections.abc import Sequence

from kxassess.inputs import RegistryView, Unit
from kxassess.issues import IssueList
from kxassess.reading.cells import norm_text
from kxassess.scheme.model import Scheme


def check_renames(
    scheme: Scheme, units: Sequence[Unit], registry: RegistryView | None, issues: IssueList
) -> None:
    """Warn (``unit-renamed``) for each unit whose name differs from the registry's; the
    registry records the rename when the run is written."""
    if registry is None:
        return
    known = registry.unit_names(scheme.population)
    for u in units:
        old = known.get(u.code)
        if old is not None and norm_text(old) != norm_text(u.name):
            issues.add(
                "unit-renamed",
                u.source,
                unit=u.code,
                population=scheme.population,
                old=old,
                new=u.name,
            )
