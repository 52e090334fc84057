#!/usr/bin/env python3
"""Import circles between the files of each hand-written crate.

    scripts/module-cycles.py [CRATE_SRC...]    # default: every hand-written crate

A file imports another when it names it: `use crate::x`, a `crate::x::…` or
`$crate::x::…` path (macros count: their text lives in the module), `super::x`, or an
item the crate root re-exports (`crate::Client` is `client`'s). A module declaring its
children is not an import, and neither are unit tests (`#[cfg(test)] mod tests`, last
in a file by convention). Prints each crate's files, imports and circles (strongly
connected components of more than one file) and exits 1 when there is a circle.
"""
import os
import re
import sys
from collections import defaultdict

CRATES = ["schema/src", "codegen/src", "kaltura-ks/src", "kaltura-runtime/src",
          "kaltura-reqwest/src", "kaltura-cli/src", "kaltura-mock/src", "xtask/src"]


def modules(src):
    """Module path (`a::b`, `` for the root) to file."""
    mods = {}
    for root, _, files in os.walk(src):
        for f in files:
            if not f.endswith(".rs"):
                continue
            path = os.path.join(root, f)
            parts = os.path.relpath(path, src)[:-3].split(os.sep)
            if parts[-1] in ("mod", "lib", "main"):
                parts = parts[:-1]
            mods["::".join(parts)] = path
    return mods


def code(path):
    text = open(path, encoding="utf-8").read()
    text = re.sub(r"//[^\n]*", "", text)
    return re.sub(r"#\[cfg\(test\)\]\s*mod tests\s*\{.*", "", text, flags=re.S)


def root_names(mods):
    """Names the crate root re-exports, by the module they come from."""
    out = {}
    if "" not in mods:
        return out
    text = code(mods[""])
    for module, names in re.findall(r"pub use ([a-z_][a-z0-9_:]*)::\{([^}]*)\}", text):
        for n in re.split(r",\s*", names):
            if n.strip():
                out[n.strip()] = module
    for module, name in re.findall(r"pub use ([a-z_][a-z0-9_:]*)::([A-Za-z_][A-Za-z0-9_]*);", text):
        out[name] = module
    return out


def resolve(name, mods):
    parts = name.split("::")
    for n in range(len(parts), 0, -1):
        m = "::".join(parts[:n])
        if m in mods:
            return m
    return None


def imports(mods):
    graph = defaultdict(set)
    names = root_names(mods)
    path_re = r"((?:[a-z_][a-z0-9_]*::)*[a-z_][a-z0-9_]*)"
    for m, path in mods.items():
        text = code(path)
        here = m.split("::") if m else []
        found = set(re.findall(r"(?:\$crate|\bcrate)::" + path_re, text))
        for p in re.findall(r"\bsuper::" + path_re, text):
            parent = here[:-1]
            found.add("::".join(parent + [p]) if parent else p)
        for group in re.findall(r"\bcrate::\{([^}]*)\}", text):
            for item in re.split(r",\s*", group):
                item = item.strip().split(" as ")[0].split("::{")[0]
                if item:
                    found.add(names.get(item, item))
        for n in re.findall(r"(?:\$crate|\bcrate)::([A-Z][A-Za-z0-9_]*)", text):
            if n in names:
                found.add(names[n])
        for p in found:
            t = resolve(p, mods)
            if t and t != m and not t.startswith(m + "::"):
                graph[m].add(t)
    return graph


def circles(nodes, graph):
    """Tarjan's strongly connected components of more than one node."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]
    sys.setrecursionlimit(10000)

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            out.append(sorted(comp))

    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return [c for c in out if len(c) > 1]


def main():
    os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    crates = sys.argv[1:] or [c for c in CRATES if os.path.isdir(c)]
    found = 0
    for src in crates:
        mods = modules(src)
        graph = imports(mods)
        cs = circles(mods.keys(), graph)
        found += len(cs)
        print(f"{src}: {len(mods)} files, {sum(len(v) for v in graph.values())} imports, "
              f"{len(cs)} circle(s)")
        for c in cs:
            print("  circle:", ", ".join(x or "(root)" for x in c))
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
