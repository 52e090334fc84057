#!/usr/bin/env bash
# What a newcomer gets: a clone in an empty folder (nothing beside it), the README's two
# commands timed with their exit codes, the number of tests listed and run, and
# `git status` after regenerating. Not part of CI; it builds everything cold.
#
#   scripts/fresh-clone.sh [REPO]     # default: this checkout's HEAD
set -uo pipefail
repo=$(cd "${1:-$(dirname "$0")/..}" && pwd)
dir=$(mktemp -d)
git clone -q "$repo" "$dir/kaltura-rs"
cd "$dir/kaltura-rs"
echo "clone: $dir/kaltura-rs (nothing beside it: $(ls "$dir" | tr '\n' ' '))"
echo "vendored data: $(du -sh api | cut -f1) api/, $(du -sh tests/data | cut -f1) tests/data/"

/usr/bin/time -f '%e s, peak %M KB' -o codegen.time cargo xtask codegen >codegen.log 2>&1
echo "cargo xtask codegen: exit $?, $(cat codegen.time)"
echo "git status after codegen: $(git status --porcelain --untracked-files=no | wc -l) changed files"
git status --short --untracked-files=no | head

/usr/bin/time -f '%e s, peak %M KB' -o test.time cargo test --workspace >test.log 2>&1
echo "cargo test --workspace: exit $?, $(cat test.time)"
run=$(grep -E '^test result:' test.log | awk '{p+=$4; f+=$6; i+=$8} END {print p" passed, "f" failed, "i" ignored"}')
echo "tests run: $run"
listed=$(cargo test --workspace -- --list 2>/dev/null | grep -cE ': (test|bench)$')
echo "tests listed by cargo test -- --list: $listed"
echo "(the logs are in $dir/kaltura-rs/{codegen,test}.log)"
