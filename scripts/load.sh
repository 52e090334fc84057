#!/usr/bin/env bash
# Load and fault runs of the client (tests/tests/load.rs, ignored in the normal suite),
# in release mode, each in its own process under /usr/bin/time; the stand-in server
# runs in a process of its own, so the figures are the client's.
#
#   scripts/load.sh [plain] [faulty] [upload_resume]     # default: all three
#
# Each run prints operations per second, HTTP requests per second, p50/p99 latency,
# peak RSS and open file descriptors before and after, errors by kind, the faults the
# server injected and what it received (writes received twice, writes lost, chunks
# received twice); /usr/bin/time adds the process's maximum RSS and wall time. Every
# run is bounded and stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${*:-plain faulty upload_resume}
bin=$(cargo test --release -p kaltura-tests --test load --no-run --message-format=json 2>/dev/null \
    | grep -o '"executable":"[^"]*/load-[^"]*"' | head -1 | cut -d'"' -f4)
[ -x "$bin" ] || { echo "the load test did not build" >&2; exit 1; }

for run in $runs; do
    /usr/bin/time -f "[$run] /usr/bin/time: max RSS %M KiB, wall %e s, user %U s, system %S s" \
        "$bin" --ignored --exact "$run" --nocapture --test-threads=1 2>&1 \
        | grep -v -e '^running ' -e '^test result' -e '^$' -e '^test .* ok$'
done
