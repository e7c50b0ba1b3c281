"""Read scheme files (YAML) into :class:`Scheme`, with messages naming file and key."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from kxassess.catalogue import render
from kxassess.issues import Issue, KxError, Severity
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
            [Issue(Severity.ERROR, "scheme-not-mapping", source, render("scheme-not-mapping", {}))],
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
        raise problem
    return scheme


def load_scheme_file(path: Path) -> AnyScheme:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise KxError(f"无法读取方案文件（{exc.strerror}）", str(path)) from exc
    except UnicodeDecodeError as exc:
        raise KxError("方案文件不是 UTF-8 编码的文本，请另存为 UTF-8", str(path)) from exc
    try:
        data = yaml.load(text, Loader=_StrictLoader)
    except yaml.YAMLError as exc:
        raise KxError(f"方案文件格式有误（YAML）：{exc}", str(path)) from exc
    return parse_scheme(data, str(path))


def builtin_ids() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in BUILTIN_DIR.glob("*.yaml")))


@cache
def load_builtin(scheme_id: str) -> AnyScheme:
    path = BUILTIN_DIR / f"{scheme_id}.yaml"
    if not path.is_file():
        raise KxError(f"没有名为 {scheme_id} 的内置方案；内置方案有：{'、'.join(builtin_ids())}")
    scheme = load_scheme_file(path)
    if scheme.id != scheme_id:
        raise KxError(f"文件中的方案编号为 {scheme.id}，与文件名不一致", str(path))
    return scheme


def load_scheme(ref: str) -> AnyScheme:
    """A built-in id, or the path of a user's scheme file (``*.yaml``/``*.yml``)."""
    ref = ref.strip()
    if ref.endswith((".yaml", ".yml")) or "/" in ref:
        return load_scheme_file(Path(ref))
    return load_builtin(ref)
