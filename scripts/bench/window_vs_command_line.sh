#!/usr/bin/env bash
# window_vs_command_line.sh -- decode speed in the window against the command line, on the same model, the same
# answer length and the same one decoder thread, interleaved round by round.
#
# Usage:
#   scripts/bench/window_vs_command_line.sh [--model DIR] [--dtype q4] [--rounds 3]
#
# Each round runs, in rotating order:
# - window: `ScreenshotTour fps` under Xvfb (the 1280x720 60 fps file camera, "Describe the image in detail.",
#   an endless answer stopped after about 20 s; the window runs its decoder on one thread, cores - 1, and never
#   spins), which prints the answer's length N, its tokens/s and the preview's frame rate while it streamed;
# - command line: `glance bench --threads 1 --no-spinning --no-split --image scripts/bench/scene512.jpg
#   --tokens N` (the same 64 image tokens and one decoder thread, N from the window's latest answer).
# Prints both per round and their medians, and the window's share of the command line's speed.
# Needs: the build (./mvnw -B -q -DskipTests package), Xvfb (apt xvfb; started on :99 when DISPLAY is unset).
set -Eeuo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=interleave.sh
source "$here/interleave.sh"
model=$root/perf-models/model256r
dtype=q4
rounds=3
while [ $# -gt 0 ]; do
  case $1 in
    --model) model=$2; shift 2;; --dtype) dtype=$2; shift 2;; --rounds) rounds=$2; shift 2;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
jar=$root/app/target/glance.jar
[ -f "$jar" ] && [ -d "$root/app/target/test-classes/io/glance/ui" ] || {
  echo "window_vs_command_line.sh: build first: ./mvnw -B -q -DskipTests package" >&2; exit 2; }
[ -f "$model/config.json" ] || { echo "window_vs_command_line.sh: no model in $model (see --model)" >&2; exit 2; }
cd "$root"
if [ ! -f app/target/cp.txt ]; then
  ./mvnw -B -q dependency:build-classpath -pl app -Dmdep.includeScope=test -Dmdep.outputFile=target/cp.txt >&2
fi
cp="app/target/test-classes:app/target/classes:$(cat app/target/cp.txt)"
[ -f app/target/scenes/camera.avi ] || java -cp "$cp" io.glance.ui.ShapeScenes app/target/scenes >&2
if [ -z "${DISPLAY:-}" ]; then
  export DISPLAY=:99
  if ! xdpyinfo >/dev/null 2>&1 && ! pgrep -x Xvfb >/dev/null; then
    Xvfb :99 -screen 0 1600x1000x24 >/dev/null 2>&1 &
    sleep 1
  fi
fi
out=$(mktemp -d /tmp/glance-window.XXXXXX)
tokens=""

run_one() {
  case $1 in
    window)
      java @"$root/app/jvm.options" -cp "$cp" io.glance.ui.ScreenshotTour fps app/target/scenes "$out/tour" "$model" "$dtype" \
          > "$out/window.log" 2>&1 || { cat "$out/window.log" >&2; exit 1; }
      local details fps
      details=$(grep -a '^answer-details' "$out/window.log")
      fps=$(grep -a 'preview-fps long answer' "$out/window.log" | sed -E 's/.*median ([0-9.]+).*/\1/')
      tokens=$(echo "$details" | sed -E 's/.* ([0-9]+) tokens, .*/\1/')
      echo "window $(echo "$details" | sed -E 's/.* ([0-9.]+) tokens\/s.*/\1/') $tokens $fps" >> "$out/results"
      ;;
    command-line)
      local n=${tokens:-1000}
      java @"$root/app/jvm.options" -jar "$jar" bench --model "$model" --dtype "$dtype" --threads 1 --no-spinning --no-split \
          --image "$here/scene512.jpg" --tokens "$n" --runs 1 --json > "$out/cli.json"
      echo "command-line $(sed -E 's/.*"decode_tokens_per_s": ?([0-9.]+).*/\1/' "$out/cli.json") $n" >> "$out/results"
      ;;
  esac
}

interleave_rounds "$rounds" window command-line
echo "| | round | tokens/s | tokens | preview fps while streaming |"
echo "|---|---|---|---|---|"
awk '{round[$1]++; printf "| %s | %d | %.1f | %s | %s |\n", $1, round[$1], $2, $3, ($4 == "" ? "" : $4)}' "$out/results"
median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2 ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2)}'; }
window=$(awk '$1=="window"{print $2}' "$out/results" | median)
cli=$(awk '$1=="command-line"{print $2}' "$out/results" | median)
awk -v w="$window" -v c="$cli" 'BEGIN {printf "medians: window %.1f, command line %.1f tokens/s: the window at %.0f %%\n", w, c, 100 * w / c}'
