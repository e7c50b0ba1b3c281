"""The help screens in Chinese: the words Typer lets a program set (panel titles,
[默认：…]), every command's --help, and no Python type names (<list[Path]>) where an
argument has a Chinese metavar. Click's own usage line (``Usage:``) stays as Click
writes it."""

from __future__ import annotations

from typing import Any

import typer.core
from typer import rich_utils

HELP_TEXT = "显示本帮助并退出。"


def install() -> None:
    rich_utils.ARGUMENTS_PANEL_TITLE = "参数"
    rich_utils.OPTIONS_PANEL_TITLE = "选项"
    rich_utils.COMMANDS_PANEL_TITLE = "命令"
    rich_utils.ERRORS_PANEL_TITLE = "错误"
    rich_utils.DEFAULT_STRING = "[默认：{}]"
    rich_utils.REQUIRED_LONG_STRING = "[必填]"
    rich_utils.ABORTED_TEXT = "已中止。"
    rich_utils.RICH_HELP = "用 [blue]{command_path} {help_option}[/] 查看用法。"
    _argument_without_type_name(typer.core.TyperArgument)
    _chinese_help_option(typer.core.TyperCommand)
    _chinese_help_option(typer.core.TyperGroup)


def _argument_without_type_name(cls: Any) -> None:
    original = cls.display_type_rich
    if getattr(original, "_kxassess", False):
        return

    def display_type_rich(self: Any, ctx: Any) -> str | None:
        return None if self.metavar is not None else original(self, ctx)

    display_type_rich._kxassess = True  # type: ignore[attr-defined]
    cls.display_type_rich = display_type_rich


def _chinese_help_option(cls: Any) -> None:
    original = cls.get_help_option
    if getattr(original, "_kxassess", False):
        return

    def get_help_option(self: Any, ctx: Any) -> Any:
        option = original(self, ctx)
        if option is not None:
            option.help = HELP_TEXT
            option.metavar = ""
        return option

    get_help_option._kxassess = True  # type: ignore[attr-defined]
    cls.get_help_option = get_help_option
