"""Schemes as data: the model and the loader."""

from kxassess.scheme.base import SchemeKind
from kxassess.scheme.loader import (
    AnyScheme,
    builtin_ids,
    load_builtin,
    load_scheme,
    load_scheme_file,
)
from kxassess.scheme.model import Scheme
from kxassess.scheme.programme import ProgrammeScheme

__all__ = [
    "AnyScheme",
    "ProgrammeScheme",
    "Scheme",
    "SchemeKind",
    "builtin_ids",
    "load_builtin",
    "load_scheme",
    "load_scheme_file",
]
