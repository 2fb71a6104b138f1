#!/usr/bin/env bash
# Compares Glance's greedy token ids with transformers.js (the independent reference) on the same model
# folder, questions and images: text-only, image with splitting on, image with splitting off.
# Exits non-zero on the first mismatch.
#
# Usage: scripts/reference/compare-with-transformers-js.sh MODEL_DIR IMAGE [DTYPE]
# Needs: app/target/glance.jar (./mvnw -q -DskipTests package; GLANCE_JAR overrides), node, and transformers.js installed
# offline in a folder named by TJS_HOME (default /work/tjs):
#   mkdir -p $TJS_HOME && cd $TJS_HOME && npm init -y && npm install --ignore-scripts @huggingface/transformers
set -euo pipefail
model=$1 image=$2 dtype=${3:-fp32}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export TJS_DIST=${TJS_DIST:-${TJS_HOME:-/work/tjs}/node_modules/@huggingface/transformers/dist/transformers.node.mjs}
fail=0
compare() {  # label, tjs args..., -- glance args...
    local label=$1; shift
    local tjs_args=() glance_args=()
    while [ "$1" != "--" ]; do tjs_args+=("$1"); shift; done; shift
    glance_args=("$@")
    local ref ours
    ref=$(node "$here/tjs_answer.mjs" --model "$model" --dtype "$dtype" --max-new 16 "${tjs_args[@]}" \
        | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["prompt_tokens"], d["token_ids"])')
    ours=$(java -jar "${GLANCE_JAR:-$root/app/target/glance.jar}" ask --model "$model" --dtype "$dtype" --device cpu \
        --max-new-tokens 16 --json "${glance_args[@]}" \
        | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["prompt_tokens"], d["token_ids"])')
    if [ "$ref" = "$ours" ]; then
        echo "same   $label: $ours"
    else
        echo "DIFFER $label"; echo "  transformers.js: $ref"; echo "  glance:          $ours"; fail=1
    fi
}
q="Describe the image."
compare "text only"  --question "What is a cat?" -- "What is a cat?"
compare "split on"   --image "$image" --split on  --question "$q" -- --image "$image" --split "$q"
compare "split off"  --image "$image" --split off --question "$q" -- --image "$image" --no-split "$q"
exit $fail
