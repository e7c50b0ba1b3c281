"""One path per scheme kind; validation without the engine; commands that start without
loading what they do not use."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from kxassess import api
from kxassess.issues import KxError
from kxassess.kinds import ProgrammePath, RankingPath, path_for
from kxassess.scheme import SchemeKind, load_builtin
from kxassess.scheme.components import Indicator

ROOT = Path(__file__).resolve().parent.parent
VALIDATION = ROOT / "kxassess" / "validation"
HEAVY = ("docx", "openpyxl", "numpy", "xlsxwriter", "jinja2", "lxml")


def _imported(path: Path) -> set[str]:
    """Every module an import statement of the file names, at any depth (function-level
    imports included)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def test_validation_does_not_import_the_engine() -> None:
    files = sorted(VALIDATION.glob("*.py"))
    assert len(files) > 10
    for path in files:
        names = _imported(path)
        engine = sorted(n for n in names if n.startswith(("kxassess.engine", "kxassess.kinds")))
        assert engine == [], f"{path.name} imports {engine}"


def test_percentages_become_points_by_the_indicator() -> None:
    twenty = Indicator(code="A1", part="A", text="t", max=Fraction(20))
    assert twenty.points_for_percent(Fraction(80)) == 16
    assert twenty.points_for_percent(Fraction(0)) == 0
    seven_half = Indicator(code="A2", part="A", text="t", max=Fraction(15, 2))
    assert seven_half.points_for_percent(Fraction(50)) == Fraction(15, 4)
    assert seven_half.points_for_percent(Fraction(100)) == Fraction(15, 2)


def test_each_builtin_scheme_takes_the_path_of_its_kind() -> None:
    kinds = {s.id: load_builtin(s.id).kind for s in api.list_schemes()}
    assert kinds["sz-2022-capacity"] is SchemeKind.PROGRAMME
    assert kinds["js-2024-society"] is SchemeKind.RANKING
    assert sum(k is SchemeKind.RANKING for k in kinds.values()) == len(kinds) - 1
    ranking = path_for(load_builtin("js-2024-society"))
    programme = path_for(load_builtin("sz-2022-capacity"))
    assert isinstance(ranking, RankingPath) and ranking.roster_units
    assert isinstance(programme, ProgrammePath) and not programme.roster_units
    assert programme.component_names() == {} and programme.blank_tier is None
    assert ranking.with_forms().id == "js-2024-society"
    with pytest.raises(KxError, match="项目申报类方案，没有自评表"):
        programme.with_forms()


def test_a_programme_scheme_file_says_its_kind() -> None:
    scheme = load_builtin("sz-2022-capacity")
    assert scheme.kind == "programme"  # a str enum: the file's own word
    assert api.describe_scheme("sz-2022-capacity")["kind"] == "programme"


def _loaded_by(*args: str) -> set[str]:
    """Top-level packages loaded by running the command line with ``args``, in a fresh
    interpreter (what a user's command loads)."""
    code = (
        "import sys\n"
        "from kxassess.cli import app\n"
        "try:\n"
        f"    app({list(args)!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('\\n' + __import__('json').dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_help_loads_no_document_or_workbook_library() -> None:
    loaded = _loaded_by("--help")
    assert "typer" in loaded
    assert not loaded & set(HEAVY), loaded & set(HEAVY)
    assert "pydantic" not in loaded  # not even the scheme model


def test_listing_schemes_loads_no_document_or_workbook_library() -> None:
    loaded = _loaded_by("schemes")
    assert "pydantic" in loaded  # the schemes themselves
    assert not loaded & set(HEAVY), loaded & set(HEAVY)
