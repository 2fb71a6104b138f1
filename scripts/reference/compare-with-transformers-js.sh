#!/usr/bin/env bash
# Compares Glance's greedy token ids with transformers.js (the independent reference) on the same model
# folder, questions and images: text-only, image with splitting on, image with splitting off, for each
# precision given. Exits non-zero if any differ.
#
# Usage: scripts/reference/compare-with-transformers-js.sh [MODEL_DIR IMAGE [DTYPE...]]
# Defaults: the tiny test model (app/src/test/resources/models/tiny-random), scripts/bench/scene512.jpg, and
# fp32 q4 int8 uint8 q8 (int8, uint8 and q8 quantize activations dynamically: Glance then encodes all tiles in
# one run and prefills in one run, as transformers.js does). MAX_NEW (default 24) tokens per answer.
# Needs: app/target/glance.jar (./mvnw -q -DskipTests package; GLANCE_JAR overrides), java 17, node, npm, python3;
# the pinned transformers.js is installed into .tjs/ on first use (TJS_DIST overrides).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
model=${1:-$root/app/src/test/resources/models/tiny-random}
image=${2:-$root/scripts/bench/scene512.jpg}
shift $(( $# < 2 ? $# : 2 ))
dtypes=("$@")
[ ${#dtypes[@]} -gt 0 ] || dtypes=(fp32 q4 int8 uint8 q8)
max_new=${MAX_NEW:-24}
TJS_DIST=${TJS_DIST:-$("$here/install-transformers-js.sh")}
export TJS_DIST
. "$here/compare_lib.sh"
compare() {  # label, tjs args..., -- glance args...
    local label=$1; shift
    compare_case "$label" "$model" "$dtype" "$@"
}
q="Describe the image."
for dtype in "${dtypes[@]}"; do
    compare "text only"  --question "What is a cat?" -- "What is a cat?"
    compare "split on"   --image "$image" --split on  --question "$q" -- --image "$image" --split "$q"
    compare "split off"  --image "$image" --split off --question "$q" -- --image "$image" --no-split "$q"
done
exit $fail
