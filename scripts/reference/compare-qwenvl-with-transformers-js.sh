#!/usr/bin/env bash
# Compares Glance's greedy token ids and prompt lengths with transformers.js 4.3.2 (the independent reference) on
# Qwen-VL model folders: every picture in scripts/reference/images/ (tiny, very tall, very wide, exact multiples of
# 28, half-way sizes, larger than the pixel limit, a JPEG with an EXIF rotation) and two text-only questions, in
# each precision. Exits non-zero if any case differs.
#
# Text-only prompts: tjs_answer.mjs follows Python transformers' rope delta (0) there, as Glance does; see its header.
# TJS_GRAPH_OPTIMIZATION=basic runs the reference's sessions without ONNX Runtime's extended fusions, which change
# the numbers of int8 graphs between onnxruntime-node 1.30 and the Java 1.28 build.
#
# Usage: scripts/reference/compare-qwenvl-with-transformers-js.sh [MODEL_DIR...]
# Defaults: the three tiny fixtures (app/src/test/resources/models/tiny-qwen2-vl, tiny-qwen2.5-vl, tiny-qwen3-vl);
# DTYPES (default "fp32 int8 q4") and MAX_NEW (default 16) from the environment.
# Needs: app/target/glance.jar (./mvnw -q -DskipTests package; GLANCE_JAR overrides), java 17, node, npm, python3;
# the pinned transformers.js is installed into .tjs/ on first use (TJS_DIST overrides).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
models=("$@")
[ ${#models[@]} -gt 0 ] || models=("$root/app/src/test/resources/models/tiny-qwen2-vl" \
                                   "$root/app/src/test/resources/models/tiny-qwen2.5-vl" \
                                   "$root/app/src/test/resources/models/tiny-qwen3-vl")
read -r -a dtypes <<< "${DTYPES:-fp32 int8 q4}"
max_new=${MAX_NEW:-16}
TJS_DIST=${TJS_DIST:-$("$here/install-transformers-js.sh")}
export TJS_DIST
. "$here/compare_lib.sh"
q="Describe the image."
for model in "${models[@]}"; do
    name=$(basename "$model")
    for dtype in "${dtypes[@]}"; do
        compare_case "$name text only" "$model" "$dtype" --question "What is a cat?" -- "What is a cat?"
        compare_case "$name text only (greeting)" "$model" "$dtype" --question "Hello! What can you do?" \
            -- "Hello! What can you do?"
        for image in "$here"/images/*; do
            compare_case "$name $(basename "$image")" "$model" "$dtype" --image "$image" --question "$q" \
                -- --image "$image" "$q"
        done
    done
done
echo "$same same, $differ differ"
exit $fail
