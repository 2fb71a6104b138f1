#!/usr/bin/env bash
# Compares Glance's CLIP-family embeddings and zero-shot labels with transformers.js 4.3.2 (the independent
# reference) on CLIP and SigLIP model folders: every picture in scripts/reference/images/ (tiny, very tall, very
# wide, large, an EXIF rotation), texts with punctuation, casing and more tokens than the model takes, and two label
# sets, in each precision the reference is asked for. A case passes with cosine >= 0.9999 (embeddings) or an
# identical ranking (zero-shot). Exits non-zero if any case fails.
#
# Usage: scripts/reference/compare-clip-with-transformers-js.sh [MODEL_DIR...]
# Defaults: the fixtures app/src/test/resources/models/tiny-clip and tiny-siglip; DTYPES (default "fp32,q8").
# Needs: app/target/glance.jar (./mvnw -q -DskipTests package; GLANCE_JAR overrides), java 17, node, npm;
# the pinned transformers.js is installed into .tjs/ on first use (TJS_DIST overrides).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
models=("$@")
[ ${#models[@]} -gt 0 ] || models=("$root/app/src/test/resources/models/tiny-clip" \
                                   "$root/app/src/test/resources/models/tiny-siglip")
jar=${GLANCE_JAR:-$root/app/target/glance.jar}
[ -f "$jar" ] || { echo "no $jar: run ./mvnw -q -DskipTests package first" >&2; exit 2; }
TJS_DIST=${TJS_DIST:-$("$here/install-transformers-js.sh")}
export TJS_DIST DTYPES=${DTYPES:-fp32,q8}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
node "$here/dump_clip_reference.mjs" "$work" "${models[@]}"
status=0
for model in "${models[@]}"; do
    node "$here/compare_clip.mjs" "$work/$(basename "$model").json" "$model" "$jar" || status=1
done
exit $status
