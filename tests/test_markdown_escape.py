"""Markdown outputs escape only what Markdown reads as markup, so they read clean as text."""

import pytest

from kxassess.writing.notices import md_escape


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # what staff type and forward: left exactly as typed
        ("lyg-2018.xlsx!评分-张三!C3", "lyg-2018.xlsx!评分-张三!C3"),
        ("东海县科协代表（回避）", "东海县科协代表（回避）"),
        ("(回避)", "(回避)"),
        ("“4+1”工作机制", "“4+1”工作机制"),
        ("60~80分", "60~80分"),
        ("A1 #2 - 3.5", "A1 #2 - 3.5"),
        ("2024.xlsx", "2024.xlsx"),
        # markup anywhere in a line
        ("a*b*c", r"a\*b\*c"),
        ("snake_case_name", r"snake\_case\_name"),
        ("[链接](http://x)", r"\[链接\](http://x)"),
        ("![图](x.png)", r"!\[图\](x.png)"),
        ("<script>", r"\<script>"),
        ("甲|乙", r"甲\|乙"),
        ("`代码`", r"\`代码\`"),
        ("反斜杠\\", "反斜杠\\\\"),
        ("~~删除~~", r"\~\~删除\~~"),
        # markup only at the start of a line
        ("# 标题", r"\# 标题"),
        ("> 引用", r"\> 引用"),
        ("- 列表", r"\- 列表"),
        ("+ 列表", r"\+ 列表"),
        ("1. 第一", r"1\. 第一"),
        ("说明\n# 第二行", "说明\n\\# 第二行"),
    ],
)
def test_escapes_only_markdown(text: str, expected: str) -> None:
    assert md_escape(text) == expected
