"""Scoring: pure functions over validated inputs. No file is opened here."""

from kxassess.engine.score import score_year

__all__ = ["score_year"]
