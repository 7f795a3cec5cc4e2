"""The rooms of `sim/` import one way (ARCHITECTURE.md): a module may import from its own room, from rooms
below it and from the leaf modules, never from a room above."""

from __future__ import annotations

import ast
from pathlib import Path

SIM = Path(__file__).resolve().parents[1] / "sim"
ORDER = ["scenario", "workflow", "knowledge", "retrieval", "engine", "metrics", "report", "experiments",
         "verify", "train", "cli"]
RANK = {room: rank for rank, entry in enumerate(ORDER) for room in ((entry,) if isinstance(entry, str) else entry)}
LEAVES = {"errors", "seeds", "paths", "timing", "io", "cli_types", "__init__", "__main__"}


def room_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "sim" or len(parts) < 2 or parts[1] in LEAVES:
        return None
    return parts[1]


def imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
    return found


def test_every_room_is_known_and_imports_only_downwards():
    upward = []
    for path in sorted(SIM.rglob("*.py")):
        module = ".".join(path.relative_to(SIM.parent).with_suffix("").parts)
        room = room_of(module)
        if room is None:
            continue
        assert room in RANK, f"{module}: room {room!r} is not in the documented order"
        upward += [f"{module} -> {target}" for target in imports(path)
                   if (other := room_of(target)) is not None and RANK[other] > RANK[room]]
    assert not upward, "imports against the layering:\n" + "\n".join(upward)


def test_leaf_modules_import_no_room():
    for name in LEAVES - {"__init__", "__main__"}:
        path = SIM / f"{name}.py"
        assert [t for t in imports(path) if room_of(t) is not None] == [], name


def test_the_command_starts_without_torch_or_spacy():
    """`cascadesim --help` and a validate stay fast: heavy libraries load only in the code paths that use them."""
    import subprocess
    import sys

    loaded = subprocess.run([sys.executable, "-c", "import sys, sim.cli; print(sorted({'torch', 'spacy'} & "
                             "set(sys.modules)))"], capture_output=True, text=True, check=True, cwd=SIM.parent)
    assert loaded.stdout.strip() == "[]"
