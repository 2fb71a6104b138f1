#!/usr/bin/env bash
# compare.sh -- Glance against llama.cpp on the same decoder dimensions, text prompt, token count and threads,
# interleaved round by round; prints decode tokens/s, model load, prompt prefill and peak RSS for
# llama.cpp Q4_0 and Q8_0 against Glance q4 (its default fused decoder graph, the published graph, and the fused
# graph with int8 arithmetic) and int8 (medians over the rounds) as a markdown table.
#
# Usage:
#   scripts/bench/llamacpp/compare.sh [--model DIR] [--jar JAR] [--rounds 3] [--tokens 32] [--threads 2]
#                                     [--seed 17] [--out DIR]
# --model: the SmolVLM model folder Glance runs (default perf-models/model256); the GGUF files are written
# from its config.json (dimensions) and tokenizer.json (vocabulary, merges), with random weights.
# Needs: java 17 (and the jar: ./mvnw -B -q -DskipTests package), node 20 with npm (the npm registry for the
# first install only), python 3 with numpy. llama.cpp is the prebuilt CPU build that node-llama-cpp ships
# (pinned in package.json / package-lock.json, installed into node_modules/ here; never built or downloaded
# at run time). The GGUF files land in models/ here (both git-ignored) and are reused while they exist.
# Each round runs every contestant once, each in a fresh process; the order rotates every round. Raw JSON
# lines land in --out (default a temp dir); the table goes to stdout, progress to stderr.
set -Eeuo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
# shellcheck source=../interleave.sh
source "$here/../interleave.sh"
model=$root/perf-models/model256
jar=$root/app/target/glance.jar
rounds=3; tokens=32; threads=2; seed=17; out=""
while [ $# -gt 0 ]; do
  case $1 in
    --model) model=$2; shift 2;; --jar) jar=$2; shift 2;; --rounds) rounds=$2; shift 2;;
    --tokens) tokens=$2; shift 2;; --threads) threads=$2; shift 2;; --seed) seed=$2; shift 2;;
    --out) out=$2; shift 2;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
for f in "$model/config.json" "$model/tokenizer.json" "$model/onnx/decoder_model_merged_q4.onnx" \
    "$model/onnx/decoder_model_merged_int8.onnx" "$jar"; do
  [ -f "$f" ] || { echo "compare.sh: missing $f (see --model, --jar; the default model folder is written by" \
    "python3 scripts/bench/make_perf_model.py --out perf-models/model256, which needs numpy and onnx)" >&2; exit 2; }
done
out=${out:-$(mktemp -d /tmp/glance-llamacpp.XXXXXX)}
mkdir -p "$out"

if [ ! -d "$here/node_modules/@node-llama-cpp/linux-x64" ]; then
  echo "installing the pinned node-llama-cpp (prebuilt linux-x64 CPU binary) into $here/node_modules" >&2
  # the versions of package-lock.json; no optional packages (the CUDA / Vulkan / other-platform binaries);
  # no install scripts: node-llama-cpp's postinstall would look for (and may download or build) binaries
  (cd "$here" && npm install --omit=optional --ignore-scripts --no-save --no-audit --no-fund >&2)
fi
export NODE_LLAMA_CPP_SKIP_DOWNLOAD=true NODE_LLAMA_CPP_GPU=false

mkdir -p "$here/models"
# the files are named by seed and by the model folder's config.json and tokenizer.json (another folder,
# other dimensions: other files)
source_key=$(cat "$model/config.json" "$model/tokenizer.json" | sha256sum | cut -c1-12)
gguf_of() { echo "$here/models/smolvlm-text-$1-seed$seed-$source_key.gguf"; }
for type in q4_0 q8_0; do
  gguf=$(gguf_of $type)
  if [ ! -f "$gguf" ]; then
    python3 "$here/make_gguf.py" --model "$model" --type $type --seed "$seed" --out "$gguf.part"
    mv "$gguf.part" "$gguf"
  fi
done

contestants=("llama.cpp Q4_0" "llama.cpp Q8_0" "Glance q4" "Glance q4 published" "Glance q4 fused-int8" "Glance int8")
glance_args() {  # $1 = a Glance contestant's label: its bench options
  local rest=${1#Glance } dtype decoder=fused
  dtype=${rest%% *}
  [ "$rest" = "$dtype" ] || decoder=${rest#* }
  echo --dtype "$dtype" --decoder "$decoder"
}
run_one() {  # $1 = contestant label; appends its JSON line to $out/<label>.jsonl, its stderr to .err
  local label=$1 file="$out/${1// /_}"
  case $label in
    "llama.cpp Q4_0"|"llama.cpp Q8_0")
      local type; type=$(echo "${label#llama.cpp }" | tr 'A-Z' 'a-z')
      node "$here/llama_bench.mjs" --gguf "$(gguf_of "$type")" --tokens "$tokens" --threads "$threads" \
        2>> "$file.err" | tail -1 >> "$file.jsonl";;
    Glance*)
      # shellcheck disable=SC2046
      java -jar "$jar" bench --model "$model" $(glance_args "$label") --tokens "$tokens" --runs 1 \
        --threads "$threads" --json 2>> "$file.err" | tail -1 >> "$file.jsonl";;
  esac
}
trap 'echo "compare.sh: a run failed; its messages are in $out/*.err" >&2' ERR

# a warm start on both sides: the GGUF files exist already; Glance builds (and caches) its fused decoder graphs
# here, outside the rounds
for label in "${contestants[@]}"; do
  case $label in
    Glance*)
      # shellcheck disable=SC2046
      java -jar "$jar" bench --model "$model" $(glance_args "$label") --tokens 2 --runs 1 --threads "$threads" \
        --json > /dev/null 2>> "$out/warm-up.err";;
  esac
done
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$out/loadavg.txt" >&2
interleave_rounds "$rounds" "${contestants[@]}"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/loadavg.txt" >&2
node "$here/report.mjs" "$out" "${contestants[@]}"
echo "raw results: $out" >&2
