"""The command line: parses options, calls one function of :mod:`kxassess.api`, renders."""

from kxassess.cli.app import app, main

__all__ = ["app", "main"]
