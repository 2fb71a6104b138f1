#!/usr/bin/env bash
# compare.sh -- Glance against llama.cpp on the same model dimensions, prompt, token count and threads,
# interleaved round by round; prints decode tokens/s, model load, prompt prefill and peak RSS (and, with
# --image, image encode and image -> first token) for llama.cpp Q4_0 and Q8_0 against Glance q4 (its default
# fused decoder graph, the published graph, and the fused graph with int8 arithmetic) and int8 (medians over
# the rounds) as a markdown table.
#
# Usage:
#   scripts/bench/llamacpp/compare.sh [--model DIR] [--jar JAR] [--rounds 3] [--tokens 32] [--threads 2]
#                                     [--seed 17] [--out DIR] [--llama-src DIR|bundled] [--image FILE]
# --model: the SmolVLM model folder Glance runs (default perf-models/model256); the GGUF files are written
# from its config.json (dimensions), tokenizer.json (vocabulary, merges) and preprocessor_config.json, with
# random weights.
# --llama-src: llama.cpp built from this source folder (cmake; built into DIR/build-glance on first use, its
# tools llama-completion and llama-mtmd-cli then run through llama_cli_bench.py); "bundled" takes the source
# that the pinned node-llama-cpp package carries (llama/gitRelease.bundle), cloned into src/ here. Without it,
# llama.cpp is the prebuilt CPU build that node-llama-cpp ships, run through llama_bench.mjs (text only).
# --image: every contestant answers about this picture (needs --llama-src): llama.cpp through llama-mtmd-cli
# with a random-weight mmproj file of the model's vision encoder, Glance through `bench --image`; both split the
# picture into tiles as SmolVLM's processor does.
# Needs: java 17 (and the jar: ./mvnw -B -q -DskipTests package), node 20 with npm (the npm registry for the
# first install only), python 3 with numpy; for --llama-src cmake, a C++ compiler and git. Nothing is
# downloaded at run time. node_modules/, models/ and src/ here are git-ignored and reused while they exist.
# Each round runs every contestant once, each in a fresh process; the order rotates every round. Raw JSON
# lines land in --out (default a temp dir); the table goes to stdout, progress to stderr.
set -Eeuo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
# shellcheck source=../interleave.sh
source "$here/../interleave.sh"
model=$root/perf-models/model256
jar=$root/app/target/glance.jar
rounds=3; tokens=32; threads=2; seed=17; out=""; llama_src=""; image=""
while [ $# -gt 0 ]; do
  case $1 in
    --model) model=$2; shift 2;; --jar) jar=$2; shift 2;; --rounds) rounds=$2; shift 2;;
    --tokens) tokens=$2; shift 2;; --threads) threads=$2; shift 2;; --seed) seed=$2; shift 2;;
    --out) out=$2; shift 2;; --llama-src) llama_src=$2; shift 2;; --image) image=$2; shift 2;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
for f in "$model/config.json" "$model/tokenizer.json" "$model/onnx/decoder_model_merged_q4.onnx" \
    "$model/onnx/decoder_model_merged_int8.onnx" "$jar"; do
  [ -f "$f" ] || { echo "compare.sh: missing $f (see --model, --jar; the default model folder is written by" \
    "python3 scripts/bench/make_perf_model.py --out perf-models/model256, which needs numpy and onnx)" >&2; exit 2; }
done
if [ -n "$image" ]; then
  [ -n "$llama_src" ] || {
    echo "compare.sh: --image needs --llama-src (the prebuilt llama.cpp has no image encoder)" >&2; exit 2; }
  [ -f "$image" ] || { echo "compare.sh: no such picture: $image" >&2; exit 2; }
  image=$(cd "$(dirname "$image")" && pwd)/$(basename "$image")
fi
out=${out:-$(mktemp -d /tmp/glance-llamacpp.XXXXXX)}
mkdir -p "$out"

if [ ! -d "$here/node_modules/@node-llama-cpp/linux-x64" ]; then
  echo "installing the pinned node-llama-cpp (prebuilt linux-x64 CPU binary) into $here/node_modules" >&2
  # the versions of package-lock.json; no optional packages (the CUDA / Vulkan / other-platform binaries);
  # no install scripts: node-llama-cpp's postinstall would look for (and may download or build) binaries
  (cd "$here" && npm install --omit=optional --ignore-scripts --no-save --no-audit --no-fund >&2)
fi
export NODE_LLAMA_CPP_SKIP_DOWNLOAD=true NODE_LLAMA_CPP_GPU=false

llama_bin=""
if [ -n "$llama_src" ]; then
  if [ "$llama_src" = bundled ]; then
    llama_src=$here/src
    if [ ! -f "$llama_src/CMakeLists.txt" ]; then
      echo "cloning the llama.cpp source that node-llama-cpp carries into $llama_src" >&2
      git -c advice.detachedHead=false clone -q "$here/node_modules/node-llama-cpp/llama/gitRelease.bundle" \
        "$llama_src" >&2
    fi
  fi
  llama_src=$(cd "$llama_src" && pwd)
fi
build_llama() {  # $1 = build folder name under the source, then extra cmake options; sets llama_bin
  local folder=$llama_src/$1
  shift
  llama_bin=$folder/bin
  if [ ! -x "$llama_bin/llama-completion" ] || [ ! -x "$llama_bin/llama-mtmd-cli" ]; then
    echo "building llama.cpp (CPU, native, Release${1:+, $*}) in $folder; minutes" >&2
    { cmake -S "$llama_src" -B "$folder" -DCMAKE_BUILD_TYPE=Release -DGGML_NATIVE=ON \
        -DLLAMA_CURL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_SERVER=OFF "$@" \
      && cmake --build "$folder" -j "$(nproc)" --target llama-completion llama-mtmd-cli; } \
      > "$out/llama-build.log" 2>&1 \
      || { echo "compare.sh: the llama.cpp build failed: $out/llama-build.log" >&2; exit 1; }
  fi
}
[ -z "$llama_src" ] || build_llama build-glance

mkdir -p "$here/models"
# the files are named by seed and by the model folder's files they are written from (another folder, other
# dimensions: other files)
text_key=$(cat "$model/config.json" "$model/tokenizer.json" | sha256sum | cut -c1-12)
vision_key=$({ cat "$model/config.json"; cat "$model/preprocessor_config.json" 2>/dev/null || true; } \
  | sha256sum | cut -c1-12)
gguf_of() {  # $1 = q4_0, q8_0 (the text decoder) or mmproj-f16 (the vision encoder and projector)
  if [ "$1" = mmproj-f16 ]; then
    echo "$here/models/smolvlm-vision-$1-seed$seed-$vision_key.gguf"
  else
    echo "$here/models/smolvlm-text-$1-seed$seed-$text_key.gguf"
  fi
}
types="q4_0 q8_0"
[ -z "$image" ] || types="$types mmproj-f16"
for type in $types; do
  gguf=$(gguf_of $type)
  if [ ! -f "$gguf" ]; then
    python3 "$here/make_gguf.py" --model "$model" --type $type --seed "$seed" --out "$gguf.part"
    mv "$gguf.part" "$gguf"
  fi
done

if [ -n "$llama_bin" ]; then
  # A native build uses AMX where the processor lists it. On a virtual Intel Xeon with AMX, the AMX matrix kernel
  # of the llama.cpp that node-llama-cpp 3.22.1 carries died at its first tile instruction (SIGILL at tilezero),
  # though a small AMX program ran there: then llama.cpp is built again without AMX, and the table says so.
  smoke_status=0
  # (through a second shell, so that its report of the signal lands in the log)
  bash -c '"$@"; exit $?' smoke "$llama_bin/llama-completion" -m "$(gguf_of q4_0)" -n 1 -t "$threads" -c 64 \
    --temp 0 -ngl 0 -no-cnv --no-display-prompt -p hi > "$out/llama-smoke.log" 2>&1 || smoke_status=$?
  if [ "$smoke_status" -eq 132 ]; then
    echo "llama.cpp died of an illegal instruction (log: $out/llama-smoke.log); using a build without AMX" >&2
    no_amx="-mno-amx-tile -mno-amx-int8 -mno-amx-bf16"
    build_llama build-glance-no-amx "-DCMAKE_C_FLAGS=$no_amx" "-DCMAKE_CXX_FLAGS=$no_amx"
    echo "llama.cpp: built without AMX (its AMX kernel died of an illegal instruction on this machine)" \
      > "$out/llama-build-note.txt"
  elif [ "$smoke_status" -ne 0 ]; then
    echo "compare.sh: llama.cpp failed on a one-token prompt (status $smoke_status): $out/llama-smoke.log" >&2
    exit 1
  fi
fi

# "… MatMulNBits": the fused graph on ONNX Runtime's operators (MatMulNBits, GroupQueryAttention) instead of
# Glance's own (native/kernels);
# "… with C2": the JVM's default two-compiler JIT instead of app/jvm.options's C1 only
contestants=("llama.cpp Q4_0" "llama.cpp Q8_0" "Glance q4" "Glance q4 with C2" "Glance q4 MatMulNBits" "Glance q4 published"
  "Glance q4 fused-int8" "Glance int8")
# with a picture (17 tiles of SigLIP for the real processor's split) a run takes tens of seconds: the decoder
# graph variants, which share the vision encoder, are left to the text rounds
[ -z "$image" ] || contestants=("llama.cpp Q4_0" "llama.cpp Q8_0" "Glance q4" "Glance q4 with C2" "Glance q4 MatMulNBits"
  "Glance int8")
glance_args() {  # $1 = a Glance contestant's label: its bench options
  local rest=${1#Glance } dtype decoder=fused
  rest=${rest% MatMulNBits}
  rest=${rest% with C2}
  dtype=${rest%% *}
  [ "$rest" = "$dtype" ] || decoder=${rest#* }
  echo --dtype "$dtype" --decoder "$decoder"
}
glance_jvm() {  # $1 = a Glance contestant's label: its JVM options after app/jvm.options (bench passes them on)
  case $1 in
    *" MatMulNBits") echo -Dglance.tileKernel=false;;
    *" with C2") echo -XX:TieredStopAtLevel=4;;  # the later option counts
  esac
}
run_one() {  # $1 = contestant label; appends its JSON line to $out/<label>.jsonl, its stderr to .err
  local label=$1 file="$out/${1// /_}"
  case $label in
    "llama.cpp Q4_0"|"llama.cpp Q8_0")
      local type; type=$(echo "${label#llama.cpp }" | tr 'A-Z' 'a-z')
      if [ -n "$llama_bin" ]; then
        # shellcheck disable=SC2046
        python3 "$here/llama_cli_bench.py" --bin "$llama_bin" --gguf "$(gguf_of "$type")" --tokens "$tokens" \
          --threads "$threads" $([ -z "$image" ] || echo --mmproj "$(gguf_of mmproj-f16)" --image "$image") \
          2>> "$file.err" | tail -1 >> "$file.jsonl"
      else
        node "$here/llama_bench.mjs" --gguf "$(gguf_of "$type")" --tokens "$tokens" --threads "$threads" \
          2>> "$file.err" | tail -1 >> "$file.jsonl"
      fi;;
    Glance*)
      # shellcheck disable=SC2046
      java @"$root/app/jvm.options" $(glance_jvm "$label") -jar "$jar" bench --model "$model" $(glance_args "$label") --tokens "$tokens" \
        --runs 1 --threads "$threads" $([ -z "$image" ] || echo --image "$image" --split) --json 2>> "$file.err" \
        | tail -1 >> "$file.jsonl";;
  esac
}
trap 'echo "compare.sh: a run failed; its messages are in $out/*.err" >&2' ERR

# a warm start on both sides: the GGUF files exist already; Glance builds (and caches) its fused decoder graphs
# here, outside the rounds
for label in "${contestants[@]}"; do
  case $label in
    Glance*)
      # shellcheck disable=SC2046
      java @"$root/app/jvm.options" $(glance_jvm "$label") -jar "$jar" bench --model "$model" $(glance_args "$label") --tokens 2 --runs 1 \
        --threads "$threads" --json > /dev/null 2>> "$out/warm-up.err";;
  esac
done
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$out/loadavg.txt" >&2
interleave_rounds "$rounds" "${contestants[@]}"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/loadavg.txt" >&2
# shellcheck disable=SC2046
node "$here/report.mjs" $([ -z "$image" ] || echo --image) "$out" "${contestants[@]}"
[ ! -f "$out/llama-build-note.txt" ] || cat "$out/llama-build-note.txt"
echo "raw results: $out" >&2
