#!/usr/bin/env bash
# Measures the Linux installers built by installer/build.sh: installer sizes, installed size, time from exec
# to the window showing, measured from outside (the clock starts here before the launcher is executed and
# stops when X reports a visible window named "Glance"), and to the first frame of its content (the app reports
# that moment's wall-clock time with -Dglance.startup.report=true); medians of 5 launches after one unmeasured launch,
# which also writes the class-data archive), for the installed launcher, for `java -jar app/target/glance.jar`
# and, with --against, for an older build (its .deb or app-image folder), interleaved so that all see the same machine load; then the time
# to the first answer on the bundled demo model from the CLI entry (median of 3).
# Unpacks the .deb files into a scratch root (no system install); settings, models and caches go to scratch
# folders (XDG_*_HOME). Without $DISPLAY it runs itself under xvfb-run.
# Usage: installer/measure.sh [--against OLD.deb|OLD_APP_IMAGE_DIR] [SCENE_IMAGE]
# Needs: xvfb-run (xvfb) and xdotool (apt-get install -y xvfb xdotool); run installer/build.sh first.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
for tool in xvfb-run xdotool dpkg-deb java; do
    command -v "$tool" >/dev/null || { echo "measure: $tool is missing (apt-get install -y xvfb xdotool)" >&2; exit 2; }
done
if [ -z "${DISPLAY:-}" ]; then
    exec xvfb-run -a -s "-screen 0 1600x1000x24" "$0" "$@"
fi
against=
if [ "${1:-}" = --against ]; then
    against=$2
    shift 2
fi
out="$root/build/installer/out"
scene=${1:-$root/model-assets/demo/testset/special_rb.png}
deb=$(ls "$out"/*.deb 2>/dev/null || true)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== sizes"
for f in "$out"/*.deb "$out"/*.rpm; do
    [ -f "$f" ] && printf '%-40s %6.1f MB\n' "$(basename "$f")" "$(echo "$(stat -c %s "$f") / 1048576" | bc -l)"
done
printf '%-40s %s\n' "app-image (Glance/)" "$(du -sh "$out/Glance" | cut -f1)"
unpack() {  # unpack DEB|APP_IMAGE_DIR NAME: prints the launcher of that build
    if [ -d "$1" ]; then
        echo "$(cd "$1" && pwd)/bin/Glance"
    else
        dpkg-deb -x "$1" "$work/$2"
        echo "$work/$2/opt/glance/bin/Glance"
    fi
}
if [ -n "$deb" ]; then
    launcher=$(unpack "$deb" new)
    printf '%-40s %s\n' "installed (/opt/glance)" "$(du -sh "$work/new/opt/glance" | cut -f1)"
else
    echo "no .deb: the app image is measured"
    launcher=$(unpack "$out/Glance" new)
fi
variants=(new jar)
declare -A command=([new]="$launcher" [jar]="java @$root/app/jvm.options -jar $root/app/target/glance.jar")
if [ -n "$against" ]; then
    variants=(old "${variants[@]}")
    command[old]=$(unpack "$against" old)
fi

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

window_ms() {  # window_ms VARIANT: prints "VISIBLE READY", the ms from exec to a visible "Glance" window and to the
    # first frame of its content (the app's own report, on the same clock; "-" for builds without it), then ends the app
    local start pid deadline visible ready epoch
    export XDG_CONFIG_HOME=$work/home-$1/config XDG_DATA_HOME=$work/home-$1/data XDG_CACHE_HOME=$work/home-$1/cache
    start=$(date +%s%N)
    JAVA_TOOL_OPTIONS=-Dglance.startup.report=true setsid ${command[$1]} >"$work/$1.log" 2>&1 &
    pid=$!
    deadline=$(( start + 60000000000 ))
    until xdotool search --onlyvisible --name '^Glance$' >/dev/null 2>&1; do
        (( $(date +%s%N) < deadline )) || { echo "measure: $1 showed no window in 60 s" >&2; cat "$work/$1.log" >&2; exit 1; }
        sleep 0.01
    done
    visible=$(( ($(date +%s%N) - start) / 1000000 ))
    ready=-
    for _ in $(seq 300); do
        epoch=$(grep -o 'epoch ms [0-9]*' "$work/$1.log" | awk '{print $3}' || true)
        if [ -n "$epoch" ]; then ready=$(( epoch - start / 1000000 )); break; fi
        grep -q 'window shown after' "$work/$1.log" || break  # a build that reports neither
        sleep 0.01
    done
    echo "$visible $ready"
    kill -TERM -- -"$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    while xdotool search --name '^Glance$' >/dev/null 2>&1; do sleep 0.05; done
}

echo "== launch (exec to visible window, and to its content's first frame; from outside), ms; load average $(cut -d' ' -f1-3 /proc/loadavg)"
for variant in "${variants[@]}"; do
    echo "$variant first launch: $(window_ms "$variant") ms (not counted)"
done
for i in 1 2 3 4 5; do
    for variant in "${variants[@]}"; do
        window_ms "$variant" >> "$work/window-$variant.txt"
    done
done
for variant in "${variants[@]}"; do
    printf '%-4s visible median %5s ms (%s), content median %5s ms (%s)  %s\n' "$variant" \
        "$(cut -d' ' -f1 "$work/window-$variant.txt" | median)" "$(cut -d' ' -f1 "$work/window-$variant.txt" | paste -sd' ')" \
        "$(cut -d' ' -f2 "$work/window-$variant.txt" | median)" "$(cut -d' ' -f2 "$work/window-$variant.txt" | paste -sd' ')" \
        "${command[$variant]/$work/SCRATCH}"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== launch to first answer (CLI entry, demo model), ms"
for i in 1 2 3; do
    start=$(date +%s%N)
    answer=$("$launcher" ask --image "$scene" "What color is the circle?")
    echo "$(( ($(date +%s%N) - start) / 1000000 ))" >> "$work/answer.txt"
    echo "  answer: $answer" >&2
done
cat "$work/answer.txt"
echo "median: $(median < "$work/answer.txt") ms"
