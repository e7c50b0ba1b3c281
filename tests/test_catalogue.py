"""The issue-code catalogue: every code has a Chinese message and a fix."""

import re

import pytest

from kxassess.catalogue import CATALOGUE, Severity, render
from kxassess.issues import IssueList

HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_code_is_chinese(code: str) -> None:
    item = CATALOGUE[code]
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", code)
    assert HAN.search(item.message), code
    assert HAN.search(item.fix), code
    # No English words in the template outside its {fields}.
    assert not re.search(r"[A-Za-z]{3,}", re.sub(r"\{[^}]*\}", "", item.message)), code


def test_add_fills_the_template() -> None:
    issues = IssueList()
    issue = issues.add("missing-sheet", "a.xlsx", sheet="考核对象", hint="")
    assert issue.severity is Severity.ERROR
    assert issue.message == "工作簿中没有工作表「考核对象」"
    assert issues.has_errors
    assert render("missing-sheet", {"sheet": "评委", "hint": "，是否为「评委 」？"}).endswith("？")


def test_unknown_code_is_a_bug() -> None:
    with pytest.raises(KeyError):
        IssueList().add("no-such-code", "a.xlsx")
