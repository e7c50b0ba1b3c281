"""Read scheme files (YAML) into :class:`Scheme`, with messages naming file and key."""

from __future__ import annotations

import difflib
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from kxassess.issues import KxError
from kxassess.scheme.model import Scheme
from kxassess.scheme.programme import ProgrammeScheme

AnyScheme = Scheme | ProgrammeScheme

BUILTIN_DIR = Path(__file__).parent / "builtin"


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key written twice in one mapping (YAML keeps the last)."""


def _mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"键「{key}」写了两次", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def _where(loc: tuple[int | str, ...]) -> str:
    """pydantic's error location as a key path: components[0].parts[1].weights."""
    out = ""
    for item in loc:
        if isinstance(item, int):
            out += f"[{item}]"
        elif item in {"indicators", "single", "monthly"} and out.endswith("]"):
            continue  # discriminator tag that pydantic inserts for unions
        else:
            out += f".{item}" if out else str(item)
    return out or "（顶层）"


# pydantic's error types as staff read them; {…} are fields of the error's context.
_EXPLAINED = {
    "extra_forbidden": "未知的键（是否拼错？）",
    "missing": "缺少必填的键",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "string_type": "应为文字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "date_type": "应为日期，如 2022-04-15",
    "date_parsing": "应为日期，如 2022-04-15",
    "date_from_datetime_parsing": "应为日期，如 2022-04-15",
    "list_type": "应为列表",
    "tuple_type": "应为列表",
    "dict_type": "应为「键: 值」映射",
    "model_type": "应为「键: 值」映射",
    "literal_error": "应为以下之一：{expected}",
    "greater_than_equal": "应不小于 {ge}",
    "greater_than": "应大于 {gt}",
    "less_than_equal": "应不大于 {le}",
    "string_pattern_mismatch": "格式不对（只能用小写字母、数字和连字符）",
    "union_tag_invalid": "类型「{tag}」不可用，应为以下之一：{expected_tags}",
    "union_tag_not_found": "缺少区分类型的键「{discriminator}」",
}


def _explain(err: dict[str, Any]) -> str:
    template = _EXPLAINED.get(err["type"])
    if template is not None:
        try:
            return template.format(**err.get("ctx", {}))
        except (KeyError, IndexError):
            pass
    msg = str(err["msg"])
    return msg.removeprefix("Value error, ")


def parse_scheme(data: object, source: str) -> AnyScheme:
    """Validate already-parsed YAML; every problem is listed in one error. A file with
    ``kind: programme`` is a project programme, any other a ranking scheme."""
    if not isinstance(data, dict):
        raise KxError("方案文件的顶层应为「键: 值」映射", source)
    try:
        if data.get("kind") == "programme":
            return ProgrammeScheme.model_validate(data)
        return Scheme.model_validate(data)
    except ValidationError as exc:
        lines = [f"  {_where(e['loc'])}: {_explain(dict(e))}" for e in exc.errors()]
        raise KxError("方案文件有误：\n" + "\n".join(lines), source) from exc


def load_scheme_file(path: Path) -> AnyScheme:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise KxError("找不到方案文件", str(path)) from exc
    except IsADirectoryError as exc:
        raise KxError("这是一个文件夹，不是方案文件", str(path)) from exc
    except PermissionError as exc:
        raise KxError("没有读取方案文件的权限", str(path)) from exc
    except OSError as exc:
        raise KxError(f"无法读取方案文件（{exc.strerror}）", str(path)) from exc
    except UnicodeDecodeError as exc:
        raise KxError("方案文件不是 UTF-8 编码的文本，请用 UTF-8 编码另存", str(path)) from exc
    try:
        data = yaml.load(text, Loader=_StrictLoader)
    except yaml.YAMLError as exc:
        raise KxError(f"方案文件的 YAML 格式有误{_yaml_where(exc)}", str(path)) from exc
    return parse_scheme(data, str(path))


def _yaml_where(exc: yaml.YAMLError) -> str:
    """第 3 行第 1 列：…, from the YAML error's mark and problem."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or ""
    where = f"（第 {mark.line + 1} 行第 {mark.column + 1} 列）" if mark is not None else ""
    return f"{where}：{problem}" if problem else where


def builtin_ids() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in BUILTIN_DIR.glob("*.yaml")))


@cache
def load_builtin(scheme_id: str) -> AnyScheme:
    path = BUILTIN_DIR / f"{scheme_id}.yaml"
    if not path.is_file():
        ids = builtin_ids()
        close = difflib.get_close_matches(scheme_id, ids, n=1)
        hint = f"，是否为「{close[0]}」？" if close else "。"
        raise KxError(f"没有内置方案「{scheme_id}」{hint}内置方案有：{'、'.join(ids)}")
    scheme = load_scheme_file(path)
    if scheme.id != scheme_id:
        raise KxError(f"文件中的 id 是「{scheme.id}」，与文件名不符", str(path))
    return scheme


def load_scheme(ref: str) -> AnyScheme:
    """A built-in id, or the path of a user's scheme file (``*.yaml``/``*.yml``)."""
    ref = ref.strip()
    if ref.endswith((".yaml", ".yml")) or "/" in ref:
        return load_scheme_file(Path(ref))
    return load_builtin(ref)
