"""The catalogue is the one list of issue codes: the source uses no other code, and
docs/问题代码.md is generated from it."""

import importlib.util
import re
from pathlib import Path

from kxassess.catalogue import CATALOGUE

ROOT = Path(__file__).resolve().parent.parent
ADD = re.compile(r"\.add\(\s*\"([^\"]+)\"")


def test_every_code_added_in_the_source_is_in_the_catalogue() -> None:
    used: dict[str, str] = {}
    for path in sorted((ROOT / "kxassess").rglob("*.py")):
        if path.parent.name == "catalogue":  # its docstring shows an example call
            continue
        for code in ADD.findall(path.read_text(encoding="utf-8")):
            used.setdefault(code, str(path.relative_to(ROOT)))
    assert used, "no issues.add(...) call found: the pattern is out of date"
    missing = {code: where for code, where in used.items() if code not in CATALOGUE}
    assert not missing, f"codes used but not in kxassess/catalogue/: {missing}"


def test_the_engine_codes_are_used() -> None:
    # hand-picked: the engine's own codes each have a call site
    source = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "kxassess").rglob("*.py"))
    for code in ("self-gap", "review-ignored", "not-reviewed", "award-tie"):
        assert f'"{code}"' in source


def test_the_committed_code_list_is_the_generated_one() -> None:
    spec = importlib.util.spec_from_file_location(
        "catalogue_doc", ROOT / "scripts/catalogue_doc.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    committed = (ROOT / "docs" / "问题代码.md").read_text(encoding="utf-8")
    assert committed == module.render(), "docs/问题代码.md is out of date: run make codes"
    for code in CATALOGUE:
        assert f"| `{code}` |" in committed
