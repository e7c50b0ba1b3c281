"""Schemes as data: the model and the loader."""

from kxassess.scheme.loader import builtin_ids, load_builtin, load_scheme, load_scheme_file
from kxassess.scheme.model import Scheme

__all__ = ["Scheme", "builtin_ids", "load_builtin", "load_scheme", "load_scheme_file"]
