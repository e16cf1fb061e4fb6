"""The shape of the house: which app may import which (docs/architecture.md).

Every `import loa.<app>` inside `loa/<other app>/` (tests and migrations aside) must be
in ALLOWED, no two apps may import each other, and no app imports `ops`, the
composition root that runs the install. A failure names the file and the line.
"""

import ast
from pathlib import Path

LOA = Path(__file__).resolve().parents[1] / "loa"

# app -> the apps it may import. Read as layers: vn and core at the bottom, ops on top.
ALLOWED = {
    "vn": set(),
    "core": {"vn"},
    "plans": {"core", "vn"},
    "content": {"core", "vn", "plans"},
    "channels": {"core", "vn", "plans", "content"},
    "assistant": {"core", "vn", "plans", "channels"},
    "learning": {"core", "vn", "plans"},
    "reports": {"core", "vn", "plans", "learning", "assistant"},
    "library": {"core", "vn", "plans", "content", "channels"},
    "ops": {
        "vn",
        "core",
        "plans",
        "content",
        "channels",
        "assistant",
        "learning",
        "reports",
        "library",
    },
}


def _imported_apps(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "loa" and len(parts) > 1 and parts[1] in ALLOWED:
                yield parts[1], node.lineno


def _edges() -> dict[tuple[str, str], list[str]]:
    edges: dict[tuple[str, str], list[str]] = {}
    for app in ALLOWED:
        for path in sorted((LOA / app).rglob("*.py")):
            relative = path.relative_to(LOA.parent)
            if {"tests", "migrations"} & set(relative.parts):
                continue
            for target, line in _imported_apps(path):
                if target != app:
                    edges.setdefault((app, target), []).append(f"{relative}:{line}")
    return edges


def test_every_app_dir_is_in_the_table():
    apps = {p.name for p in LOA.iterdir() if (p / "__init__.py").exists()}
    assert apps - {"data", "settings"} == set(ALLOWED), "an app is missing from ALLOWED"


def test_apps_import_only_what_their_layer_allows():
    wrong = [
        f"{app} → {target}: {', '.join(places)}"
        for (app, target), places in sorted(_edges().items())
        if target not in ALLOWED[app]
    ]
    assert wrong == [], "\n".join(wrong)


def test_no_two_apps_import_each_other():
    edges = _edges()
    cycles = [
        f"{a} ↔ {b}: {edges[(a, b)][0]} and {edges[(b, a)][0]}"
        for a, b in sorted(edges)
        if a < b and (b, a) in edges
    ]
    assert cycles == [], "\n".join(cycles)


def test_the_allowed_table_itself_has_no_cycle():
    mutual = [
        (a, b) for a, targets in ALLOWED.items() for b in targets if a in ALLOWED[b]
    ]
    assert mutual == []
