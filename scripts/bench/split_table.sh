#!/usr/bin/env bash
# split_table.sh -- the speed of each image-splitting setting: encoder inputs, prompt tokens, vision,
# prefill and time to first token, one Glance bench per setting (same image, same model), as a markdown table.
#
# Usage: scripts/bench/split_table.sh [--model DIR] [--image FILE] [--dtype q4] [--runs 1] [--jar JAR]
# Settings: splitting off (one 512 input), then splitting on with the longest edge at 1024, 1536 and 2048
# (SmolVLM-256M's default, 4×512): 2×2, 3×3 and 4×4 tiles plus the global image.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
model=$root/perf-models/model256; image=$root/scripts/bench/scene512.jpg; dtype=q4; runs=1
jar=$root/app/target/glance.jar
while [ $# -gt 0 ]; do
  case $1 in
    --model) model=$2; shift 2;; --image) image=$2; shift 2;; --dtype) dtype=$2; shift 2;;
    --runs) runs=$2; shift 2;; --jar) jar=$2; shift 2;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
echo "| setting | prompt tokens | vision_ms | prefill_ms | ttft_ms | decode tok/s | peak_rss_mb |"
echo "|---|---|---|---|---|---|---|"
for setting in "--no-split" "--split --longest-edge 1024" "--split --longest-edge 1536" "--split --longest-edge 2048"; do
  # shellcheck disable=SC2086
  java @"$root/app/jvm.options" -jar "$jar" bench --model "$model" --dtype "$dtype" --image "$image" $setting --tokens 8 --runs "$runs" \
    --json 2>/dev/null | tail -1 | SETTING="$setting" node -e '
      const r = JSON.parse(require("fs").readFileSync(0, "utf8"));
      const f = (x) => Math.round(x);
      console.log(`| ${process.env.SETTING} | ${r.prompt_tokens} | ${f(r.vision_ms)} | ${f(r.prefill_ms)} | ${f(r.ttft_ms)} | ${r.decode_tokens_per_s.toFixed(1)} | ${f(r.peak_rss_mb)} |`);
    '
done
