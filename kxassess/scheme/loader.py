"""Read scheme files (YAML) into :class:`Scheme`, with messages naming file and key."""

from __future__ import annotations

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
                None, None, f"key {key!r} is written twice", key_node.start_mark
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
    return out or "(top level)"


def _explain(err: dict[str, Any]) -> str:
    if err["type"] == "extra_forbidden":
        return "unknown key"
    if err["type"] == "missing":
        return "required key is missing"
    msg = str(err["msg"])
    return msg.removeprefix("Value error, ")


def parse_scheme(data: object, source: str) -> AnyScheme:
    """Validate already-parsed YAML; every problem is listed in one error. A file with
    ``kind: programme`` is a project programme, any other a ranking scheme."""
    if not isinstance(data, dict):
        raise KxError("a scheme file must be a mapping of keys to values", source)
    try:
        if data.get("kind") == "programme":
            return ProgrammeScheme.model_validate(data)
        return Scheme.model_validate(data)
    except ValidationError as exc:
        lines = [f"  {_where(e['loc'])}: {_explain(dict(e))}" for e in exc.errors()]
        raise KxError("the scheme is not valid:\n" + "\n".join(lines), source) from exc


def load_scheme_file(path: Path) -> AnyScheme:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise KxError(f"cannot read the scheme file ({exc.strerror})", str(path)) from exc
    except UnicodeDecodeError as exc:
        raise KxError("the scheme file is not UTF-8 text", str(path)) from exc
    try:
        data = yaml.load(text, Loader=_StrictLoader)
    except yaml.YAMLError as exc:
        raise KxError(f"the scheme file is not valid YAML: {exc}", str(path)) from exc
    return parse_scheme(data, str(path))


def builtin_ids() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in BUILTIN_DIR.glob("*.yaml")))


@cache
def load_builtin(scheme_id: str) -> AnyScheme:
    path = BUILTIN_DIR / f"{scheme_id}.yaml"
    if not path.is_file():
        raise KxError(
            f"unknown scheme {scheme_id!r}; the built-in schemes are: {', '.join(builtin_ids())}"
        )
    scheme = load_scheme_file(path)
    if scheme.id != scheme_id:
        raise KxError(f"the file declares id {scheme.id!r}", str(path))
    return scheme


def load_scheme(ref: str) -> AnyScheme:
    """A built-in id, or the path of a user's scheme file (``*.yaml``/``*.yml``)."""
    ref = ref.strip()
    if ref.endswith((".yaml", ".yml")) or "/" in ref:
        return load_scheme_file(Path(ref))
    return load_builtin(ref)
