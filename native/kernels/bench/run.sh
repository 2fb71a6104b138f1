#!/usr/bin/env bash
# The tile kernels against converting each weight and multiplying, one thread, on the SmolVLM-256M decoder's
# layer shapes (one row: a decode step; 14 and 1141 rows: a text prompt and a picture's); needs gcc and AVX-512.
# Usage: native/kernels/bench/run.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
gcc -O3 -std=c11 -Wall -Wextra -Werror -o "$out/q4_tiles_bench" "$here/q4_tiles_bench.c" "$here/../q4_tiles.c" -lm
for shape in "1 576 960 4000" "1 576 3072 2000" "1 1536 576 4000" "1 576 49280 100" "14 576 3072 200" \
             "1141 576 3072 3"; do
    # shellcheck disable=SC2086
    "$out/q4_tiles_bench" $shape
done
