"""The registry (登记库): an embedded SQLite file holding units, tiers, results and runs."""

from kxassess.registry.opening import backup, backup_path, open_registry, remove_leftovers
from kxassess.registry.rows import ApplyOutcome, HistoryRow, MoveRow
from kxassess.registry.store import Registry, resolve_registry_path

__all__ = [
    "ApplyOutcome",
    "HistoryRow",
    "MoveRow",
    "Registry",
    "backup",
    "backup_path",
    "open_registry",
    "remove_leftovers",
    "resolve_registry_path",
]
