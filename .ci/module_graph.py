#!/usr/bin/env python3
"""The server crate's module graph, and the rules that keep it a DAG.

Reads every `src/**/*.rs`, collects the `crate::…` paths each file names (in `use` lines and
inline), and folds files into nodes: a top-level module (`auth`, `pagination`, `http`, …), or for
a feature slice its service layer (`roles`: model.rs, service.rs, mod.rs) apart from its API layer
(`roles::api`: graphql.rs, loaders.rs). `graphql::schema` (the composition root) is a node of its
own; the rest of `src/graphql/` is the node `graphql`.

Rules (exit 1 when one is broken):
  1. only `startup` and `cli` import the composition root `graphql::schema`;
  2. no service layer (and no infrastructure module) imports the GraphQL layer: `crate::graphql`,
     any slice's `graphql`/`loaders`, or `crate::http`;
  3. no cycle between nodes. The one exception: API layers of two slices may refer to each
     other's GraphQL object types (`Candidate.applications` ↔ `Application.candidate`), because
     the schema is a graph; such cycles are listed, not refused.

`--dot` prints the graph in Graphviz form, `--edges` one edge a line.
"""

import pathlib
import re
import sys
from collections import defaultdict

ROOT = pathlib.Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
SLICES = {"accounts", "audit", "candidates", "pipeline", "roles", "skills", "events", "matching", "integrations", "postings", "duplicates", "descriptions", "sync"}
API_FILES = {"graphql", "loaders"}
COMPOSITION_ROOT = "graphql::schema"
MAY_IMPORT_ROOT = {"startup", "cli"}


def node_of(path: pathlib.Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    top = parts[0]
    if top in ("lib", "main"):
        return top
    if top == "graphql":
        return COMPOSITION_ROOT if parts[1:2] == ("schema",) else "graphql"
    if top in SLICES and len(parts) > 1 and parts[1] in API_FILES:
        return f"{top}::api"
    return top


def target_of(path: str) -> str:
    """The node a `crate::a::b::…` path names."""
    parts = path.split("::")
    top = parts[0]
    if top in ("connection_type", "payload"):  # macros of src/graphql/, exported at the crate root
        return "graphql"
    if top == "graphql":
        return COMPOSITION_ROOT if parts[1:2] == ["schema"] else "graphql"
    if top in SLICES and len(parts) > 1 and parts[1] in API_FILES:
        return f"{top}::api"
    return top


def imports(text: str) -> set[str]:
    """`crate::` paths a file names, with `use crate::{a, b::c}` groups expanded."""
    found = set()
    # Drop comments so prose mentioning a module is not an import.
    code = "\n".join(line.split("//")[0] for line in text.splitlines())
    for group in re.finditer(r"crate::\{([^;]*?)\};", code, re.S):
        depth, item = 0, ""
        for ch in group.group(1) + ",":
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            if ch == "," and depth == 0:
                name = item.strip().split("::")
                if name and name[0] and name[0] != "self":
                    found.add("::".join(name[:2]).strip("{} "))
                item = ""
            else:
                item += ch
    for path in re.finditer(r"crate::((?:[a-z_][a-z0-9_]*)(?:::[a-z_][a-z0-9_]*)?)", code):
        found.add(path.group(1))
    return found


def build_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for path in sorted(SRC.rglob("*.rs")):
        source = node_of(path)
        graph[source]
        for target_path in imports(path.read_text(encoding="utf-8")):
            target = target_of(target_path)
            if target != source and target not in ("lib", "main"):
                graph[source].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan)."""
    index, low, on_stack, stack, out = {}, {}, set(), [], []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return out


def is_api(node: str) -> bool:
    return node.endswith("::api")


def is_graphql_layer(node: str) -> bool:
    return is_api(node) or node in ("graphql", COMPOSITION_ROOT, "http")


def main() -> int:
    graph = build_graph()
    if "--dot" in sys.argv:
        print("digraph modules {")
        for source in sorted(graph):
            for target in sorted(graph[source]):
                print(f'  "{source}" -> "{target}";')
        print("}")
    if "--edges" in sys.argv:
        for source in sorted(graph):
            print(f"{source:18} -> {', '.join(sorted(graph[source])) or '-'}")
    problems = []
    for source, targets in sorted(graph.items()):
        if COMPOSITION_ROOT in targets and source not in MAY_IMPORT_ROOT:
            problems.append(f"{source} imports the composition root {COMPOSITION_ROOT}")
        if not is_graphql_layer(source) and source not in MAY_IMPORT_ROOT | {COMPOSITION_ROOT}:
            for target in sorted(t for t in targets if is_graphql_layer(t) and t != COMPOSITION_ROOT):
                problems.append(f"{source} (service layer) imports the GraphQL/HTTP layer {target}")
    allowed = []
    for component in cycles(graph):
        if all(is_api(node) for node in component):
            allowed.append(component)
        else:
            problems.append(f"import cycle: {' <-> '.join(component)}")
    for component in allowed:
        print(f"note: GraphQL object types refer to each other: {' <-> '.join(component)}")
    if problems:
        for problem in problems:
            print(f"module graph: {problem}", file=sys.stderr)
        return 1
    print(f"module graph: {len(graph)} nodes, {sum(map(len, graph.values()))} edges, no cycles, layers respected")
    return 0


if __name__ == "__main__":
    sys.exit(main())
