"""The help screens in Chinese: the words Typer lets a program set (panel titles,
[默认：…]), every command's --help, and no Python type names (<list[Path]>) where an
argument has a Chinese metavar. Click's own usage line (``Usage:``) stays as Click
writes it."""

from __future__ import annotations

from typing import Any

import typer.core
from typer import rich_utils
from typer._click import exceptions as errors

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
    _chinese_usage_errors()
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


def _chinese_usage_errors() -> None:
    """Click's usage errors (a missing argument, an unknown option or command, a value
    of the wrong kind) in Chinese; the usage line above them stays as Click writes it."""
    original = rich_utils.rich_format_error
    if getattr(original, "_kxassess", False):
        return

    def rich_format_error(self: errors.ClickException) -> None:
        text = usage_error_text(self)
        if text is not None:
            self.format_message = lambda: text  # type: ignore[method-assign]
        original(self)

    rich_format_error._kxassess = True  # type: ignore[attr-defined]
    rich_utils.rich_format_error = rich_format_error


def _param_name(param: Any) -> str:
    if param is None:
        return "参数"
    if getattr(param, "param_type_name", "") == "option":
        return str(max(param.opts, key=len))
    return str(param.metavar or param.human_readable_name)


def usage_error_text(exc: errors.ClickException) -> str | None:
    """The Chinese message of a usage error, None for one this program words itself."""
    param = getattr(exc, "param", None)
    if isinstance(exc, errors.MissingParameter):
        kind = "选项" if getattr(param, "param_type_name", "") == "option" else "参数"
        return f"缺少{kind}「{_param_name(param)}」"
    if isinstance(exc, errors.NoSuchOption):
        close = "、".join(sorted(exc.possibilities or ()))
        return f"没有选项「{exc.option_name}」" + (f"，是否为 {close}？" if close else "")
    if isinstance(exc, errors.BadOptionUsage):
        if "requires an argument" in exc.format_message():
            return f"选项「{exc.option_name}」后面缺少取值"
        return f"选项「{exc.option_name}」的用法有误"
    message = exc.format_message()
    if isinstance(exc, errors.BadParameter):
        name = _param_name(param)
        if "integer" in message:
            return f"「{name}」应为整数"
        if "number" in message or "float" in message:
            return f"「{name}」应为数字"
        return f"「{name}」的取值无效"
    if message.startswith("No such command"):
        return f"没有这个命令：{message.split(chr(39))[1] if chr(39) in message else message}"
    if message.startswith("Got unexpected extra argument"):
        extra = message[message.rfind("(") + 1 : message.rfind(")")]
        return f"多余的参数：{extra}"
    return None
