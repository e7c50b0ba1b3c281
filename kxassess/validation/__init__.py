"""Validation: tables + scheme → typed inputs and every issue at once."""

from kxassess.validation.year import Options, Validated, validate_year

__all__ = ["Options", "Validated", "validate_year"]
