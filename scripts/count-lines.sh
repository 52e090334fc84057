#!/bin/sh
# Lines of code of the Rust examples beside their Python twins (examples/python/,
# written with the vendor's client), and the ratio. A line counts unless it is blank
# or a comment: Rust lines starting with `//` (so `///` and `//!` too), Python lines
# starting with `#`, indentation aside. The Rust files are counted as rustfmt writes
# them (`cargo fmt --check` keeps them so). Issue 23 aims at 1.3 or less for each of
# the ten programs; a program above it is marked.
set -eu
cd "$(dirname "$0")/.."

count() { # FILE COMMENT-PREFIX
    awk -v c="$2" '{ sub(/^[ \t]+/, "") } $0 != "" && index($0, c) != 1 { n++ } END { print n + 0 }' "$1"
}

printf '%-16s %5s %7s %6s\n' program rust python ratio
total_rust=0
total_python=0
for name in list_videos user_ks multirequest user_get get_update \
    esearch custom_metadata caption upload_ready category_tree; do
    rust=$(count "examples/$name.rs" //)
    python=$(count "examples/python/$name.py" '#')
    total_rust=$((total_rust + rust))
    total_python=$((total_python + python))
    awk -v n="$name" -v r="$rust" -v p="$python" 'BEGIN {
        printf "%-16s %5d %7d %6.2f%s\n", n, r, p, r / p, (r > 1.3 * p ? "  over 1.3" : "")
    }'
done
awk -v r="$total_rust" -v p="$total_python" 'BEGIN {
    printf "%-16s %5d %7d %6.2f\n", "all ten", r, p, r / p
}'
