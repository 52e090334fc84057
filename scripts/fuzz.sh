#!/usr/bin/env bash
# Fuzzes the SDK's untrusted inputs (fuzz/, cargo-fuzz) for a bounded time, one target
# at a time, then minimises each target's corpus into fuzz/corpus/<target>, which
# `cargo test` replays without a fuzzer.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     # default: 300 s each, every target
#
# Needs `cargo install cargo-fuzz` and python3 (for the seeds). Runs on stable with
# `--sanitizer none`; set SANITIZER=address (and RUSTC_BOOTSTRAP=1) for ASan. The
# working corpora and logs go to fuzz/target/fuzz-work (FUZZ_WORK to change); a crash
# leaves its input under fuzz/artifacts/<target>/ and stops the script.
#
# Prints per target: executions run, executions per second, corpus size before and
# after minimising.
set -euo pipefail

seconds=${1:-300}
[ $# -gt 0 ] && shift
cd "$(dirname "$0")/../fuzz"
sanitizer=${SANITIZER:-none}
work=${FUZZ_WORK:-target/fuzz-work}
targets=${*:-$(cargo fuzz list)}

python3 seed.py "$work/seeds" > /dev/null
cargo fuzz build --sanitizer "$sanitizer" 2>&1 | tail -1

for t in $targets; do
    mkdir -p "$work/$t" "corpus/$t" "$work/seeds/$t"
    before=$(ls "corpus/$t" | wc -l)
    log="$work/$t.log"
    # New inputs go to the working corpus; the checked-in one and the seeds are read.
    cargo fuzz run --sanitizer "$sanitizer" "$t" "$work/$t" "corpus/$t" "$work/seeds/$t" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        > "$log" 2>&1 || { tail -40 "$log"; echo "$t: crashed, see fuzz/artifacts/$t"; exit 1; }
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
    speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)

    # Minimise: a small set of inputs that reaches every edge all of them reach (edges
    # only, not hit counts, so the checked-in corpus stays small).
    fresh=$(mktemp -d)
    bin=$(ls -d target/*/release/"$t" | head -1)
    "$bin" -set_cover_merge=1 -use_counters=0 "$fresh" "corpus/$t" "$work/$t" "$work/seeds/$t" \
        > "$work/$t.merge.log" 2>&1
    rm -rf "corpus/$t"
    mv "$fresh" "corpus/$t"
    after=$(ls "corpus/$t" | wc -l)
    size=$(du -sh "corpus/$t" | cut -f1)
    echo "$t: $runs executions in ${seconds} s ($speed/s); corpus $before -> $after inputs ($size)"
done
