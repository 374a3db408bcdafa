"""Fail on any import loop inside socialkpi, function-level imports included (import-linter's
contracts check the direction between layers; a loop inside one layer, or one hidden by an
import inside a function, shows here).

    python tools/import_loops.py [PACKAGE_ROOT]   # default: lib/
"""

import sys
from pathlib import Path


def loops(graph) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index, low, stack, on, found = {}, {}, [], set(), []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on.add(module)
        for other in sorted(graph.find_modules_directly_imported_by(module)):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while not group or group[-1] != module:
                group.append(stack.pop())
                on.discard(group[-1])
            if len(group) > 1:
                found.append(sorted(group))

    sys.setrecursionlimit(10_000)
    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def main(argv: list[str]) -> int:
    """Print each loop (its modules) and return 1 if there is any."""
    import grimp

    root = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent / "lib"
    sys.path.insert(0, str(root))
    found = loops(grimp.build_graph("socialkpi", cache_dir=None))
    for group in found:
        print("import loop among: " + ", ".join(group))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
