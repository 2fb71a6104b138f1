#!/usr/bin/env bash
# Images per minute of a library run that only stores image–text embeddings against one that captions, on the same
# pictures, interleaved: `caption DIR --embeddings-only` with a CLIP ViT-B/32-sized model (q8) and `caption DIR` with a
# SmolVLM-256M-sized model (q4, whole pictures, 64-token captions), both random-weight stand-ins of the real sizes.
# Pictures: the demo's 64-scene test set (model-assets/demo/testset, 160x120 to 1920x1080); captioning gets the first
# CAPTION_FILES of them (default 12: it is about 4 s per picture).
#
# Usage: scripts/bench/embed_vs_caption.sh [ROUNDS]      (default 2)
# Needs app/target/glance.jar; builds perf-models/clip-b32 and perf-models/model256 when they are missing
# (scripts/bench/make_clip_perf_model.py, scripts/bench/make_perf_model.py).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
rounds=${1:-2}
captions=${CAPTION_FILES:-12}
jar=$root/app/target/glance.jar
[ -d "$root/perf-models/clip-b32/onnx" ] || /usr/bin/python3 "$root/scripts/bench/make_clip_perf_model.py" \
    --out "$root/perf-models/clip-b32" --modes q8
[ -d "$root/perf-models/model256/onnx" ] || /usr/bin/python3 "$root/scripts/bench/make_perf_model.py" \
    --out "$root/perf-models/model256" --modes q4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/all" "$work/some"
cp "$root"/model-assets/demo/testset/scene_*.* "$work/all/"
ls "$work/all" | head -n "$captions" | while read -r f; do cp "$work/all/$f" "$work/some/"; done
for round in $(seq "$rounds"); do
    rm -f "$work/all/.glance-index.json" "$work/some/.glance-index.json"
    echo -n "round $round embeddings only (clip-b32 q8): "
    java @"$root/app/jvm.options" -jar "$jar" caption "$work/all" --embeddings-only --embedding-model "$root/perf-models/clip-b32" \
        --embedding-dtype q8 2>/dev/null | head -1
    echo -n "round $round captions (model256 q4, whole pictures): "
    java @"$root/app/jvm.options" -jar "$jar" caption "$work/some" --model "$root/perf-models/model256" --dtype q4 --no-split \
        --max-new-tokens 64 2>/dev/null | head -1
done
