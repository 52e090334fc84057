#!/usr/bin/env bash
# Packages the crates users depend on, as `cargo publish` would, then prints what each
# package holds (files, compressed and unpacked size) and checks it: a README and both
# licences, nothing but `src/` and those top-level files (no tests, fixtures or
# snapshots), the metadata JSON where it is used, and crates.io's 10 MiB upload limit.
# Run by .ci/run; RELEASING.md runs it with `--verify-all` before a release.
#
#   scripts/package.sh [--allow-dirty] [--no-verify | --verify-all]
#
# The crates are packaged together in one `cargo package` (cargo resolves the
# workspace's unpublished crates against each other's packages), in publish order.
#
# What is verified (cargo unpacks a package and builds it from its own files, its
# workspace dependencies coming from their packages too):
# - kaltura-ks, kaltura-runtime, kaltura-reqwest, kaltura-metadata, kaltura-mock and kaltura-cli:
#   small, a few minutes together on 2 cores; this is what catches a source file, an
#   `include_str!` target or a manifest setting the package left out.
# - not the API's three crates and kaltura-client (`--no-verify`): their packages hold
#   exactly their `src/` (checked below), whose files CI already builds in the
#   workspace, and building the 216,000 generated lines again from the packages, once
#   for the API's crates and once more under the client, would cost several minutes
#   more for nothing new. `--verify-all` builds them too.
set -euo pipefail
cd "$(dirname "$0")/.."

dirty=()
verify=small
for arg in "$@"; do
  case $arg in
    --allow-dirty) dirty=(--allow-dirty) ;;
    --no-verify) verify=none ;;
    --verify-all) verify=all ;;
    *) echo "usage: $0 [--allow-dirty] [--no-verify | --verify-all]" >&2; exit 2 ;;
  esac
done

# In publish order (RELEASING.md): each after the crates it depends on.
published=(kaltura-ks kaltura-runtime kaltura-reqwest kaltura-api-enums kaltura-api kaltura-api-services
  kaltura-metadata kaltura-client kaltura-mock kaltura-cli)
small=(kaltura-ks kaltura-runtime kaltura-reqwest kaltura-metadata kaltura-mock kaltura-cli)

# Every member that may be published is in the list, and nothing else is.
cargo metadata --format-version 1 --no-deps --locked | python3 -c '
import json, sys
meta = json.load(sys.stdin)
publishable = sorted(p["name"] for p in meta["packages"] if p.get("publish") != [])
listed = sorted(sys.argv[1:])
if publishable != listed:
    sys.exit(f"publishable members {publishable} differ from the list in scripts/package.sh "
             f"{listed}: add the new crate to it (and to RELEASING.md), or set `publish = false`")
' "${published[@]}"

# cargo warns for each test a package leaves out; the packages leave tests out on
# purpose (they need the workspace's test crate and data), so those lines are dropped.
quiet_cargo() {
  "$@" 2>&1 | { grep -v '^warning: ignoring test `.*` as `.*` is not included in the published package$' || true; }
}

pkgs=()
for p in "${published[@]}"; do pkgs+=(-p "$p"); done
quiet_cargo cargo package --no-verify --locked "${dirty[@]}" "${pkgs[@]}"

target=${CARGO_TARGET_DIR:-target}
version=$(cargo metadata --format-version 1 --no-deps --locked |
  python3 -c 'import json, sys
print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == "kaltura-client"))')

echo
python3 - "$target/package" "$version" "${published[@]}" <<'PY'
import sys, tarfile, os
folder, version, crates = sys.argv[1], sys.argv[2], sys.argv[3:]
LIMIT = 10 * 1024 * 1024  # crates.io's default upload limit
TOP = {"Cargo.toml", "Cargo.toml.orig", "Cargo.lock", ".cargo_vcs_info.json",
       "README.md", "LICENSE-MIT", "LICENSE-APACHE"}
NEEDED = {"Cargo.toml", "README.md", "LICENSE-MIT", "LICENSE-APACHE", "src/lib.rs"}
EXTRA = {"kaltura-metadata": {"src/metadata.json"}, "kaltura-mock": {"src/errors.tsv"},
         "kaltura-cli": {"src/main.rs"}}
problems = []
print(f"{'package':<24} {'files':>6} {'compressed':>12} {'unpacked':>12}")
total = 0
for name in crates:
    path = os.path.join(folder, f"{name}-{version}.crate")
    with tarfile.open(path) as tar:
        members = [m for m in tar.getmembers() if m.isfile()]
    prefix = f"{name}-{version}/"
    files = {m.name[len(prefix):] for m in members}
    packed = os.path.getsize(path)
    unpacked = sum(m.size for m in members)
    total += packed
    print(f"{name + ' ' + version:<24} {len(files):>6} {packed / 1024:>8.1f} KiB {unpacked / 1024:>8.1f} KiB")
    for f in sorted(NEEDED | EXTRA.get(name, set())):
        if f not in files:
            problems.append(f"{name}: the package lacks {f}")
    for f in sorted(files):
        if f not in TOP and not f.startswith("src/"):
            problems.append(f"{name}: the package holds {f}, which users do not need")
    if packed > LIMIT:
        problems.append(f"{name}: {packed} bytes, over crates.io's {LIMIT}-byte upload limit")
print(f"{'all':<24} {'':>6} {total / 1024:>8.1f} KiB")
for p in problems:
    print("error:", p, file=sys.stderr)
sys.exit(1 if problems else 0)
PY

# A verification builds each crate's workspace dependencies from their packages as if
# they came from a registry, under the same name and version every time. Cargo never
# unpacks a registry crate twice, nor rebuilds one (it tracks no source file of
# theirs): without this, a run after a change would verify against the packages of an
# earlier run (a fresh CI machine has none). Removed: their unpacked sources, and
# their builds, told from the workspace's own builds of the same crates by a
# dependency list without source files.
if [ $verify != none ]; then
  for p in "${published[@]}"; do
    rm -rf "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/"$p-$version"
  done
  python3 - "$target" "${published[@]}" <<'PY'
import glob, os, shutil, sys
target, crates = sys.argv[1], sys.argv[2:]
for fp in glob.glob(os.path.join(target, "**", ".fingerprint", "kaltura-*"), recursive=True):
    if os.path.basename(fp).rsplit("-", 1)[0] not in crates:
        continue
    deps = glob.glob(os.path.join(fp, "dep-lib-*"))
    if deps and all(b".rs" not in open(d, "rb").read() for d in deps):
        shutil.rmtree(fp)
PY
fi

case $verify in
  none) echo "not verified (--no-verify)" ;;
  small)
    echo; echo "verifying ${small[*]} (built from their packages)"
    pkgs=()
    for p in "${small[@]}"; do pkgs+=(-p "$p"); done
    quiet_cargo cargo package --locked "${dirty[@]}" "${pkgs[@]}"
    ;;
  all)
    echo; echo "verifying every package (built from their packages)"
    quiet_cargo cargo package --locked "${dirty[@]}" "${pkgs[@]}"
    ;;
esac
