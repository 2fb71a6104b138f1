#!/usr/bin/env bash
# Measures the Linux installers built by installer/build.sh: installer sizes, installed size, time from
# launch to the window showing (under Xvfb, median of 5 launches) and to the first answer on the bundled
# demo model from the CLI entry (median of 3). Unpacks the .deb into a scratch root (no system install).
# Usage: installer/measure.sh [SCENE_IMAGE]   (needs xvfb-run; run installer/build.sh first)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/build/installer/out"
scene=${1:-$root/model-assets/demo/testset/special_rb.png}
deb=$(ls "$out"/*.deb)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== sizes"
for f in "$out"/*.deb "$out"/*.rpm; do
    [ -f "$f" ] && printf '%-40s %6.1f MB\n' "$(basename "$f")" "$(echo "$(stat -c %s "$f") / 1048576" | bc -l)"
done
printf '%-40s %s\n' "app-image (Glance/)" "$(du -sh "$out/Glance" | cut -f1)"
dpkg-deb -x "$deb" "$work/root"
printf '%-40s %s\n' "installed (/opt/glance)" "$(du -sh "$work/root/opt/glance" | cut -f1)"
launcher="$work/root/opt/glance/bin/Glance"
# The launcher reads its JVM options from its .cfg only: switch the startup report on in this scratch copy.
echo "java-options=-Dglance.startup.report=true" >> "$work/root/opt/glance/lib/app/Glance.cfg"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "== launch to window (Xvfb), ms"
for i in 1 2 3 4 5; do
    log="$work/launch-$i.log"
    setsid xvfb-run -a -s "-screen 0 1600x1000x24" \
        "$launcher" >"$log" 2>&1 &
    pid=$!
    for _ in $(seq 1 300); do
        grep -q 'window shown after' "$log" && break
        sleep 0.2
    done
    kill -- -"$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    grep -m1 -o 'window shown after [0-9]*' "$log" | grep -o '[0-9]*$' || echo "launch $i: no window line" >&2
done | tee "$work/window.txt"
echo "median: $(median < "$work/window.txt") ms"

echo "== launch to first answer (CLI entry, demo model), ms"
for i in 1 2 3; do
    start=$(date +%s%N)
    answer=$("$launcher" ask --image "$scene" "What color is the circle?")
    echo "$(( ($(date +%s%N) - start) / 1000000 ))" >> "$work/answer.txt"
    echo "  answer: $answer" >&2
done
cat "$work/answer.txt"
echo "median: $(median < "$work/answer.txt") ms"
