"""The registry (登记库): an embedded SQLite file holding units, tiers, results and runs."""

from kxassess.registry.store import (
    ApplyOutcome,
    HistoryRow,
    MoveRow,
    Registry,
    open_registry,
    resolve_registry_path,
)

__all__ = [
    "ApplyOutcome",
    "HistoryRow",
    "MoveRow",
    "Registry",
    "open_registry",
    "resolve_registry_path",
]
