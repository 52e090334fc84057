#!/usr/bin/env bash
# The workspace's `rust-version` must be at least what every crate the publishable
# crates compile against declares: walks the normal and build dependencies of each
# package that can be published (every platform, the features the lockfile resolves)
# and fails, naming them, on those that declare a newer `rust-version`. Also fails
# when a publishable crate does not inherit the workspace's rust-version. Run by
# .ci/run; `--list` prints the ten highest requirements.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo metadata --format-version 1 --locked | python3 -c '
import json, sys
meta = json.load(sys.stdin)
packages = {p["id"]: p for p in meta["packages"]}
nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
members = [packages[i] for i in meta["workspace_members"]]

def version(text):
    parts = [int(x) for x in text.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))

def show(v):
    return ".".join(map(str, v))

publishable = [p for p in members if p.get("publish") is None or p["publish"]]
declared = {p["name"]: p.get("rust_version") for p in publishable}
if len(set(declared.values())) != 1 or None in declared.values():
    sys.exit(f"the publishable crates must all inherit the workspace rust-version: {declared}")
ours = version(next(iter(declared.values())))

# Normal and build dependencies only: what a user of the crate compiles.
seen, needs = set(), {}
stack = [(p["id"], p["name"]) for p in publishable]
while stack:
    pid, via = stack.pop()
    if pid in seen:
        continue
    seen.add(pid)
    for dep in nodes[pid]["deps"]:
        if any(k["kind"] in (None, "build") for k in dep["dep_kinds"]):
            stack.append((dep["pkg"], via))
ours_ids = set(meta["workspace_members"])
for pid in seen - ours_ids:
    p = packages[pid]
    if p.get("rust_version"):
        needs[(p["name"], p["version"])] = version(p["rust_version"])

highest = sorted(needs.items(), key=lambda kv: kv[1], reverse=True)
print(f"workspace rust-version {show(ours)}; {len(seen - ours_ids)} dependencies compiled for "
      f"{len(publishable)} publishable ones; highest requirement: "
      f"{highest[0][0][0]} {highest[0][0][1]} needs {show(highest[0][1])}")
if "--list" in sys.argv[1:]:
    for (name, v), need in highest[:10]:
        print(f"  {name} {v}: {show(need)}")
newer = [(k, v) for k, v in highest if v > ours]
for (name, v), need in newer:
    print(f"error: {name} {v} needs Rust {show(need)}, newer than rust-version {show(ours)}",
          file=sys.stderr)
sys.exit(1 if newer else 0)
' "$@"
