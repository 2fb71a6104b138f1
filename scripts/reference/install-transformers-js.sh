#!/usr/bin/env bash
# Installs the pinned transformers.js (the reference implementation the scripts compare Glance with) from npm
# into .tjs/ at the repository root (git-ignored), once; prints the path of its Node entry point, which the
# scripts pass to node as TJS_DIST. --ignore-scripts: nothing is downloaded beyond the npm packages
# (onnxruntime-node ships its CPU binaries in the package).
#
# Usage: scripts/reference/install-transformers-js.sh      (needs node and npm)
set -euo pipefail
version=4.3.2   # onnxruntime-node 1.30.0
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=$root/.tjs
dist=$dir/node_modules/@huggingface/transformers/dist/transformers.node.mjs
installed=$(node -p "require('$dir/node_modules/@huggingface/transformers/package.json').version" 2>/dev/null || true)
if [ "$installed" != "$version" ]; then
    mkdir -p "$dir"
    [ -f "$dir/package.json" ] || echo '{"name": "glance-reference", "private": true}' > "$dir/package.json"
    echo "installing @huggingface/transformers@$version into $dir" >&2
    (cd "$dir" && npm install --ignore-scripts --no-audit --no-fund --save-exact "@huggingface/transformers@$version" >&2)
fi
[ -f "$dist" ] || { echo "transformers.js is installed but $dist is missing" >&2; exit 1; }
echo "$dist"
