"""Read scheme files (YAML) into :class:`Scheme`, with messages naming file and key."""

from __future__ import annotations

import difflib
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from kxassess.issues import Issue, KxError
from kxassess.scheme.model import Scheme
from kxassess.scheme.problems import SchemeInvalid, invalid
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


def parse_scheme(data: object, source: str) -> AnyScheme:
    """Validate already-parsed YAML; every problem is listed in one error
    (:class:`SchemeInvalid`, with each problem as an issue). A file with
    ``kind: programme`` is a project programme, any other a ranking scheme."""
    if not isinstance(data, dict):
        raise SchemeInvalid(
            [Issue.of("scheme-not-mapping", source)],
            source,
        )
    model: type[AnyScheme] = ProgrammeScheme if data.get("kind") == "programme" else Scheme
    try:
        scheme = model.model_validate(data)
    except ValidationError as exc:
        problem = invalid(data, exc, source, model)
        raise (problem or KxError("方案文件无效", source)) from exc
    problem = invalid(data, None, source)
    if problem is not None:
        problem.salvaged = scheme
        raise problem
    return scheme


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
