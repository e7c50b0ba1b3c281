"""Validation: tables + scheme → typed inputs and every issue at once."""

from kxassess.validation.year import Options, Validated, read_header, read_ranking

__all__ = ["Options", "Validated", "read_header", "read_ranking"]
