#!/usr/bin/env bash
# compare.sh -- Glance vs transformers.js on the same ONNX files, image, prompt and token count,
# interleaved round by round (the machine is shared and noisy: only side-by-side ratios mean anything).
#
# Usage:
#   scripts/bench/compare.sh [--model DIR] [--image FILE] [--dtype q4] [--tokens 32] [--rounds 5]
#                            [--split on|off] [--variant 'LABEL=JAR [glance bench args...]']...
#                            [--tjs-args 'bench_tjs.mjs options, e.g. --no-spin'] [--no-tjs] [--out DIR]
# Defaults: perf-models/model256, scripts/bench/scene512.jpg, q4, 32 tokens, 5 rounds, splitting off,
# one variant "glance=app/target/glance.jar". Each --variant adds a Glance configuration (a jar and extra
# `bench` options such as --threads 1 or --no-spinning); the first one is the one compared with
# transformers.js, the others are also compared with the first (lever A/B). A variant's own --dtype overrides
# the common one (the last option given wins); give transformers.js the same files with --tjs-args, e.g.
#   --variant "int8-vision=app/target/glance.jar --dtype vision=int8,embed=q4,decoder=q4"
#   --tjs-args '--dtype {"vision_encoder":"int8","embed_tokens":"fp32","decoder_model_merged":"q4"}'
# Needs: java 17, node and npm, python3 with numpy and onnx (Debian: python3-numpy python3-onnx). On first use
# the script builds the jar if missing (./mvnw -q -DskipTests package), installs the pinned transformers.js into
# .tjs/ (scripts/reference/install-transformers-js.sh; TJS_DIST overrides) and writes the real-size random model
# into perf-models/model256 (scripts/bench/make_perf_model.py, ~30 s, ~1.4 GB); both folders are git-ignored.
# Each round runs every contestant once, each in a fresh process; the order rotates every round. Raw JSON lines
# land in --out (default a temp dir); the table goes to stdout.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=interleave.sh
source "$root/scripts/bench/interleave.sh"
model=$root/perf-models/model256
image=$root/scripts/bench/scene512.jpg
dtype=q4; tokens=32; rounds=5; split=off; tjs=1; out=""; tjs_args=""
variants=()
while [ $# -gt 0 ]; do
  case $1 in
    --model) model=$2; shift 2;; --image) image=$2; shift 2;; --dtype) dtype=$2; shift 2;;
    --tokens) tokens=$2; shift 2;; --rounds) rounds=$2; shift 2;; --split) split=$2; shift 2;;
    --variant) variants+=("$2"); shift 2;; --no-tjs) tjs=0; shift;; --out) out=$2; shift 2;;
    --tjs-args) tjs_args=$2; shift 2;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
[ ${#variants[@]} -gt 0 ] || variants=("glance=$root/app/target/glance.jar")
if [ $tjs = 1 ]; then
    TJS_DIST=${TJS_DIST:-$("$root/scripts/reference/install-transformers-js.sh")}
    export TJS_DIST
fi
bench_tjs=$root/scripts/bench/bench_tjs.mjs
if [ ! -f "$model/onnx/decoder_model_merged_q4.onnx" ]; then
    if [ "$model" != "$root/perf-models/model256" ]; then
        echo "no model in $model" >&2; exit 1
    fi
    python=""
    for candidate in ${PYTHON:-} python3 /usr/bin/python3; do   # Debian's python3 where another one comes first
        if "$candidate" -c 'import numpy, onnx' 2>/dev/null; then python=$candidate; break; fi
    done
    [ -n "$python" ] || {
        echo "the model generator needs numpy and onnx: apt-get install python3-numpy python3-onnx" >&2; exit 1; }
    echo "writing the real-size random model into $model" >&2
    "$python" "$root/scripts/bench/make_perf_model.py" --out "$model" >&2
fi
if [ ! -f "$root/app/target/glance.jar" ]; then
    (cd "$root" && ./mvnw -B -q -DskipTests package >&2)
fi
out=${out:-$(mktemp -d /tmp/glance-compare.XXXXXX)}
mkdir -p "$out"
splitflag=$([ "$split" = on ] && echo --split || echo --no-split)

contestants=()
[ $tjs = 1 ] && contestants+=("transformers.js")
for v in "${variants[@]}"; do contestants+=("${v%%=*}"); done

run_one() {  # $1 = contestant label
  local label=$1
  if [ "$label" = transformers.js ]; then
    # shellcheck disable=SC2086
    node "$bench_tjs" --model "$model" --image "$image" --dtype "$dtype" --max-new "$tokens" --split "$split" \
      $tjs_args 2>/dev/null | tail -1 >> "$out/transformers.js.jsonl"
    return
  fi
  for v in "${variants[@]}"; do
    if [ "${v%%=*}" = "$label" ]; then
      local spec=${v#*=}
      local jar=${spec%% *}
      local extra=""
      [ "$spec" != "$jar" ] && extra=${spec#* }
      # shellcheck disable=SC2086
      java @"$root/app/jvm.options" -jar "$jar" bench --model "$model" --dtype "$dtype" --image "$image" $splitflag \
        --tokens "$tokens" --runs 1 --json $extra 2>/dev/null | tail -1 >> "$out/$label.jsonl"
    fi
  done
}

interleave_rounds "$rounds" "${contestants[@]}"
node "$root/scripts/bench/report.mjs" "$out" "${contestants[@]}"
echo "raw results: $out" >&2
