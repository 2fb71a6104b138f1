# compare_lib.sh -- sourced by the compare-*-with-transformers-js.sh scripts: one case = one question asked of
# transformers.js (tjs_answer.mjs) and of Glance (ask --json) on the same model folder and precision, greedy;
# prints "same" or "DIFFER" with both answers' prompt length and token ids, and sets fail=1 on a difference.
# Needs: here (this folder), root (the repository), TJS_DIST, max_new; GLANCE_JAR overrides app/target/glance.jar;
# GLANCE_DECODER picks Glance's decoder graph (ask --decoder: fused, the default, fused-int8 or published).
fail=0
same=0
differ=0

# compare_case LABEL MODEL DTYPE TJS_ARGS... -- GLANCE_ARGS...
compare_case() {
    local label=$1 model=$2 dtype=$3; shift 3
    local tjs_args=() glance_args=() ref ours
    while [ "$1" != "--" ]; do tjs_args+=("$1"); shift; done; shift
    glance_args=("$@")
    ref=$(node "$here/tjs_answer.mjs" --model "$model" --dtype "$dtype" --max-new "$max_new" "${tjs_args[@]}" \
        | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["prompt_tokens"], d["token_ids"])')
    ours=$(java @"$root/app/jvm.options" -jar "${GLANCE_JAR:-$root/app/target/glance.jar}" ask --model "$model" --dtype "$dtype" --device cpu \
        --decoder "${GLANCE_DECODER:-fused}" --max-new-tokens "$max_new" --json "${glance_args[@]}" \
        | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["prompt_tokens"], d["token_ids"])')
    if [ "$ref" = "$ours" ]; then
        echo "same   $dtype $label: $ours"
        same=$((same + 1))
    else
        echo "DIFFER $dtype $label"; echo "  transformers.js: $ref"; echo "  glance:          $ours"
        differ=$((differ + 1))
        fail=1
    fi
}
