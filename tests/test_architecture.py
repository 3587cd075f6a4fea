"""The package's import rules (docs/architecture.md), read from the source.

Every ``import`` of a kamkit module counts, at module level or inside a function: an
import hidden in a function is still a dependency (one for the type checker only, under
``if TYPE_CHECKING:``, is not). The rules:

1. **Rooms in layers.** A module imports from its own room or a lower one:
   base (``exceptions``, ``artifacts``) < text < data < stages < presenters (reports,
   charts, widgets) < run < workshop < the command line.
2. **Stages in the method's order.** identification < needs < plan < evaluation <
   review: a stage uses the stages before it, never one after it.
3. **The speed machinery is private.** Only :mod:`kamkit.data` imports ``kamkit._fast``.
4. **No private names across modules**: ``from kamkit.x import _y`` only inside ``x``'s
   own package.
5. **No cycles** between modules.

What breaks a rule today is listed in ``KNOWN`` below, each with what is to be done:
the test fails on anything new, and on a listed break that is gone (take it off the
list), so the list only shrinks.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "kamkit"

LAYERS = [
    ("base", ("kamkit.exceptions", "kamkit.artifacts")),
    ("text", ("kamkit.text",)),
    ("data", ("kamkit.data", "kamkit._fast", "kamkit")),
    ("stages", ("kamkit.identification", "kamkit.needs", "kamkit.plan", "kamkit.evaluation",
                "kamkit.review")),
    ("presenters", ("kamkit.reports", "kamkit.charts", "kamkit.widgets")),
    ("run", ("kamkit.run",)),
    ("workshop", ("kamkit.workshop",)),
    ("entry", ("kamkit.cli", "kamkit.__main__")),
]
STAGES = ["kamkit.identification", "kamkit.needs", "kamkit.plan", "kamkit.evaluation",
          "kamkit.review"]

# Breaks of the rules that the layout inherited (issue 20, items 2-3), to be removed:
KNOWN = {
    # The glossary (a text) names its table's columns with the data model's labels.
    "layer: kamkit.text.glossary -> kamkit.data.labels",
    # The dossier renders and writes its own HTML page: rendering moves to kamkit.reports.
    "layer: kamkit.needs.dossier -> kamkit.charts.dossier",
    "layer: kamkit.needs.dossier -> kamkit.reports.present",
    "layer: kamkit.needs.dossier -> kamkit.reports.html",
    "cycle: kamkit.charts.dossier <-> kamkit.needs.dossier",
    # Stage 1 reuses stage 2's measures: they move to a shared stage-neutral module.
    "order: kamkit.identification.selection -> kamkit.needs.dossier",
    "private name: kamkit.identification.selection -> kamkit.needs.dossier (_wallet_shares)",
    # Stages 1 and 2 use the Arrow codes directly: kamkit.data offers the lookups they need.
    "private: kamkit.identification.selection -> kamkit._fast.codes",
    "private: kamkit.needs.dossier -> kamkit._fast.codes",
    # The exceptions format their messages in the user's language; i18n raises them.
    "layer: kamkit.exceptions -> kamkit.text.i18n",
    "cycle: kamkit.exceptions <-> kamkit.text.i18n",
    # The catalogs' tools and the narrative read the notebooks and each other.
    "layer: kamkit.text.narrative -> kamkit.run.notebooks",
    "cycle: kamkit.text.catalogs <-> kamkit.text.narrative",
    # The workshop's editions and its module list know each other.
    "cycle: kamkit.workshop.editions <-> kamkit.workshop.modules",
}


def _module(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _graph() -> dict[str, dict[str, list[str]]]:
    """module -> imported kamkit module -> the names imported from it."""
    modules = {_module(p): p for p in PACKAGE.rglob("*.py")}

    def known(name: str) -> str:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name

    graph: dict[str, dict[str, list[str]]] = {}
    for name, path in modules.items():
        edges = graph.setdefault(name, {})
        tree = ast.parse(path.read_text(encoding="utf-8"))
        # Imports for the type checker only (``if TYPE_CHECKING:``) are not dependencies.
        typing_only = {id(n) for block in ast.walk(tree) if isinstance(block, ast.If)
                       and getattr(block.test, "id", "") == "TYPE_CHECKING"
                       for stmt in block.body for n in ast.walk(stmt)}
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
            if isinstance(node, ast.Import):
                pairs = [(known(a.name), "") for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                pairs = [(f"{node.module}.{a.name}", "") if f"{node.module}.{a.name}" in modules
                         else (known(node.module), a.name) for a in node.names]
            else:
                continue
            for target, imported in pairs:
                if target.startswith("kamkit") and target != name:
                    edges.setdefault(target, []).append(imported)
    return graph


def _level(module: str) -> int:
    """The layer of ``module``: its longest matching room prefix decides."""
    best, length = -1, -1
    for level, (_room, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > length:
                best, length = level, len(prefix)
    return best


def _stage(module: str) -> int | None:
    for i, stage in enumerate(STAGES):
        if module == stage or module.startswith(stage + "."):
            return i
    return None


def _cycles(graph: dict[str, dict[str, list[str]]]) -> list[str]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[str] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append("cycle: " + " <-> ".join(sorted(group)))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def _package(module: str) -> str:
    return module.rpartition(".")[0] if module.count(".") > 1 else module


def breaks() -> set[str]:
    """Every break of the rules in the package as it is."""
    graph = _graph()
    out = set(_cycles(graph))
    for source, edges in graph.items():
        for target, names in edges.items():
            if _level(target) > _level(source):
                out.add(f"layer: {source} -> {target}")
            a, b = _stage(source), _stage(target)
            if a is not None and b is not None and b > a:
                out.add(f"order: {source} -> {target}")
            if target.startswith("kamkit._fast") and not (
                    source.startswith(("kamkit.data", "kamkit._fast"))):
                out.add(f"private: {source} -> {target}")
            # ``_`` is gettext's name by convention, not a private one.
            private = sorted({n for n in names if n.startswith("_") and n != "_"
                              and not n.startswith("__")})
            if private and _package(source) != _package(target):
                out.add(f"private name: {source} -> {target} ({', '.join(private)})")
    return out


def test_nothing_new_breaks_the_import_rules():
    new = sorted(breaks() - KNOWN)
    assert not new, "\n".join(new)


def test_a_break_that_is_mended_leaves_the_list():
    mended = sorted(KNOWN - breaks())
    assert not mended, "take these off KNOWN:\n" + "\n".join(mended)


def test_the_rules_catch_what_they_are_meant_to_catch(monkeypatch):
    fake = {"kamkit.data.sales": {"kamkit.charts": [""]},
            "kamkit.identification.selection": {"kamkit.plan.smart": ["_words"]},
            "kamkit.plan.smart": {"kamkit.identification.selection": [""],
                                  "kamkit._fast.codes": [""]}}
    monkeypatch.setitem(globals(), "_graph", lambda: fake)
    found = breaks()
    assert "layer: kamkit.data.sales -> kamkit.charts" in found
    assert "order: kamkit.identification.selection -> kamkit.plan.smart" in found
    assert ("private name: kamkit.identification.selection -> kamkit.plan.smart (_words)"
            in found)
    assert "private: kamkit.plan.smart -> kamkit._fast.codes" in found
    assert ("cycle: kamkit.identification.selection <-> kamkit.plan.smart" in found)


def test_every_error_kamkit_raises_is_a_kamkit_error():
    import importlib
    import inspect

    from kamkit.exceptions import KamkitError

    outside = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = _module(path)
        if name.endswith("__main__"):
            continue
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if inspect.isclass(value) and issubclass(value, BaseException) and \
                    value.__module__ == name and not attr.startswith("_") and \
                    not issubclass(value, KamkitError):
                outside.append(f"{name}.{attr}")
    assert outside == []
