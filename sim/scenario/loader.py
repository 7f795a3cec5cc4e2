"""Read scenario YAML with the file and line of every field, resolving `include:` packs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sim.errors import Problem, UserError

FieldPath = tuple[str | int, ...]


@dataclass
class SourceMap:
    """Where each field of a merged document came from: path -> (file, line)."""

    places: dict[FieldPath, tuple[str, int]] = field(default_factory=dict)

    def locate(self, path: FieldPath, default_file: str) -> tuple[str, int | None]:
        """File and line of `path`, or of its nearest ancestor that has one."""
        for cut in range(len(path), -1, -1):
            place = self.places.get(tuple(path[:cut]))
            if place:
                return place
        return default_file, None

    def problem(self, path: FieldPath, message: str, default_file: str) -> Problem:
        file, line = self.locate(path, default_file)
        return Problem(file, line, dotted(path), message)


def dotted(path: FieldPath) -> str:
    """`('workflow', 'steps', 2, 'id')` -> `workflow.steps[2].id`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def _compose(path: Path) -> yaml.Node | None:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError([Problem(str(path), None, "(file)", "file not found; expected a scenario YAML file")]) from None
    except (IsADirectoryError, PermissionError, UnicodeDecodeError) as exc:
        raise UserError([Problem(str(path), None, "(file)", f"cannot read ({exc.__class__.__name__})")]) from None
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise UserError([Problem(str(path), line, "(syntax)", f"malformed YAML: {reason}")]) from None
    except RecursionError:
        raise UserError([Problem(str(path), None, "(syntax)", "nested too deeply; expected a scenario mapping")]) \
            from None


def _construct(node: yaml.Node, file: str, path: FieldPath, places: dict) -> Any:
    """Turn a composed node into plain Python, recording each field's line."""
    places[path] = (file, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise UserError([Problem(file, key_node.start_mark.line + 1, dotted(path), "keys must be text")])
            key = str(key_node.value)
            if key in out:
                raise UserError(
                    [Problem(file, key_node.start_mark.line + 1, dotted((*path, key)), "duplicate key")]
                )
            out[key] = _construct(value_node, file, (*path, key), places)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, file, (*path, i), places) for i, item in enumerate(node.value)]
    try:
        return yaml.SafeLoader("").construct_object(node, deep=True)  # a scalar: no state to share
    except yaml.YAMLError as exc:
        raise UserError([Problem(file, node.start_mark.line + 1, dotted(path), f"bad value: {exc}")]) from None


def _merge(base: Any, top: Any, base_places: dict, top_places: dict, path: FieldPath) -> Any:
    """Deep-merge `top` over `base` (mappings merge, anything else: `top` wins)."""
    if isinstance(base, dict) and isinstance(top, dict):
        merged = dict(base)
        for key, value in top.items():
            sub = (*path, key)
            merged[key] = _merge(base[key], value, base_places, top_places, sub) if key in base else value
        return merged
    for place in [p for p in base_places if p[: len(path)] == path]:
        del base_places[place]
    return top


def load_document(path: Path, _stack: tuple[Path, ...] = ()) -> tuple[dict[str, Any], SourceMap]:
    """Load a scenario file, merging its `include:` packs (the including file wins)."""
    path = path.resolve() if path.exists() else path
    node = _compose(path)
    places: dict[FieldPath, tuple[str, int]] = {}
    doc = _construct(node, str(path), (), places) if node is not None else None
    if not isinstance(doc, dict):
        raise UserError([Problem(str(path), 1, "(top level)", "expected a mapping of scenario sections")])
    includes = doc.pop("include", [])
    if isinstance(includes, str):
        includes = [includes]
    if not isinstance(includes, list) or not all(isinstance(i, str) for i in includes):
        line = places.get(("include",), (str(path), None))[1]
        raise UserError([Problem(str(path), line, "include", "expected a list of YAML file paths")])
    merged: dict[str, Any] = {}
    merged_places: dict[FieldPath, tuple[str, int]] = {}
    for i, name in enumerate(includes):
        target = path.parent / name
        line = places.get(("include", i), (str(path), None))[1]
        if not target.exists():
            raise UserError([Problem(str(path), line, f"include[{i}]", f"included file not found: {target}")])
        if target.resolve() in (*_stack, path):
            chain = " -> ".join(p.name for p in (*_stack, path, target.resolve()))
            raise UserError([Problem(str(path), line, f"include[{i}]", f"include cycle {chain}; expected a tree")])
        pack, pack_map = load_document(target, (*_stack, path))
        merged = _merge(merged, pack, merged_places, pack_map.places, ())
        merged_places.update(pack_map.places)
    merged = _merge(merged, doc, merged_places, places, ())
    merged_places.update(places)
    return merged, SourceMap(merged_places)
