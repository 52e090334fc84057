#!/bin/sh
# Lines of code of the Rust examples beside their Python twins (examples/python/,
# written with the vendor's client), and the ratio. A line counts unless it is blank
# or a comment: Rust lines starting with `//` (so `///` and `//!` too), Python lines
# starting with `#`, indentation aside. Issue 14 aims at 1.5 or less; a program above
# it is marked.
set -eu
cd "$(dirname "$0")/.."

count() { # FILE COMMENT-PREFIX
    awk -v c="$2" '{ sub(/^[ \t]+/, "") } $0 != "" && index($0, c) != 1 { n++ } END { print n + 0 }' "$1"
}

printf '%-14s %5s %7s %6s\n' program rust python ratio
for name in list_videos user_ks multirequest; do
    rust=$(count "examples/$name.rs" //)
    python=$(count "examples/python/$name.py" '#')
    awk -v n="$name" -v r="$rust" -v p="$python" 'BEGIN {
        printf "%-14s %5d %7d %6.2f%s\n", n, r, p, r / p, (r > 1.5 * p ? "  over 1.5" : "")
    }'
done
