"""The structure the architecture map promises (docs/architecture.md): no
import circle between modules, and no two packages importing each other —
counting the imports made inside functions, which hide circles rather than
remove them."""
import ast
from collections import defaultdict
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "archive_repo"


def _module_name(path):
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports():
    """module → the archive_repo modules it imports (anywhere in it)."""
    graph = defaultdict(set)
    modules = {_module_name(p): p for p in SRC.rglob("*.py")}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = package
                for _ in range(max(node.level - 1, 0)):
                    base = base.rpartition(".")[0]
                target = node.module or ""
                if node.level:
                    target = base + ("." + target if target else "")
                for alias in node.names:
                    full = target + "." + alias.name
                    graph[name].add(full if full in modules else target)
            elif isinstance(node, ast.Import):
                graph[name].update(a.name for a in node.names)
    return {m: {t for t in targets if t in modules and t != m} for m, targets in
            graph.items()}, modules


def _package(module):
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 2 or module in PACKAGES else "archive_repo"


PACKAGES = {p.parent.name for p in SRC.glob("*/__init__.py")}
PACKAGES = {"archive_repo." + p for p in PACKAGES}


def _cycle(graph):
    """One import cycle among modules, or None (imports of a package's
    ``__init__`` by its own submodules are the package's API: not counted)."""
    def parent_init(a, b):
        return a.startswith(b + ".")
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if parent_init(node, nxt) or parent_init(nxt, node):
                continue
            if state.get(nxt) == "open":
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = "done"
        return None
    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_no_import_circle_between_modules():
    graph, _ = _imports()
    assert _cycle(graph) is None


def test_no_two_packages_import_each_other():
    graph, _ = _imports()
    edges = defaultdict(set)
    for module, targets in graph.items():
        for target in targets:
            a, b = _package(module), _package(target)
            if a != b and "archive_repo" not in (a, b):
                edges[a].add(b)
    mutual = sorted({tuple(sorted((a, b))) for a in list(edges) for b in edges[a]
                     if a in edges.get(b, ())})
    assert mutual == []


def test_views_share_through_http_not_through_each_other():
    """What views share lives in archive_repo.http; one concern's views
    module never imports another's."""
    graph, _ = _imports()
    crossing = sorted((m, t) for m, targets in graph.items() for t in targets
                      if t.endswith(".views") and _package(t) != _package(m))
    assert crossing == []
