#!/usr/bin/env bash
# Kills Glance at random moments while it starts and loads its model, and checks that every kill ended the
# process cleanly: no JVM crash log (hs_err_pid*.log), the expected exit status (143 for SIGTERM, 130 for
# SIGINT, or 0 when it had already finished), every settings/history JSON file still parses, and no
# temporary file left behind.
#
# Usage: scripts/kill-during-load.sh [KILLS] [ask|window|both] [path/to/glance.jar]   (default: 20 both)
#   ask:    `glance ask --image SCENE "What color is the circle?"` on the bundled demo model
#   window: the desktop app; needs an X display in $DISPLAY (e.g. Xvfb)
# Each kill sends SIGTERM or SIGINT (alternating) at a moment drawn uniformly from the first LOAD_MS
# milliseconds (default 150: the demo model loads and answers within about 300 ms of it) after the process has mapped ONNX Runtime's library, i.e. while the model's
# sessions are created; every fifth kill at a moment drawn from the whole start instead (0.2 s to the time
# one uninterrupted `ask` takes, +1 s for the window, whose model loads after it shows).
# Needs: java 17+, python3. Exit status: 0 when every kill was clean, 1 otherwise, 2 when it could not run.
set -euo pipefail
set -m  # job control: the app runs in a process group of its own, where SIGINT is not ignored
root=$(cd "$(dirname "$0")/.." && pwd)
kills=${1:-20}
mode=${2:-both}
jar=${3:-$root/app/target/glance.jar}
scene=$root/model-assets/demo/testset/special_rb.png
[[ -f "$jar" ]] || { echo "kill-during-load: $jar not found; run ./mvnw -DskipTests package" >&2; exit 2; }
if [[ $mode != ask && -z ${DISPLAY:-} ]]; then
    echo "kill-during-load: the window needs an X display in \$DISPLAY (start Xvfb), or run with mode ask" >&2
    exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
home=$work/home   # the app's settings, history and models (glance.home), kept across the kills
cd "$work"        # where the JVM would write its crash logs

launch() {  # launch ask|window: starts the app in the background, sets $pid
    if [[ $1 == ask ]]; then
        java "-Dglance.home=$home" -jar "$jar" ask --image "$scene" "What color is the circle?" >/dev/null 2>>"$work/stderr.log" &
    else
        java "-Dglance.home=$home" -jar "$jar" >/dev/null 2>>"$work/stderr.log" &
    fi
    pid=$!
}

for _ in 1 2; do  # the second run, with warm file caches, sets the range of the early kill moments
    start=$(date +%s%N)
    launch ask
    wait "$pid" || { echo "kill-during-load: an uninterrupted ask failed:" >&2; cat "$work/stderr.log" >&2; exit 2; }
    full_ms=$(( ($(date +%s%N) - start) / 1000000 ))
done
echo "one uninterrupted ask: $full_ms ms (load average $(cut -d' ' -f1-3 /proc/loadavg))"

failures=0
run_kills() {  # run_kills ask|window
    local what=$1 extra_ms=0 crashes=0 finished=0 bad_status=0 i delay_ms signal expected status
    [[ $what == window ]] && extra_ms=1000
    for i in $(seq 1 "$kills"); do
        if (( i % 2 )); then signal=TERM expected=143; else signal=INT expected=130; fi
        launch "$what"
        if (( i % 5 == 0 )); then
            delay_ms=$(python3 -c "import random; print(random.randint(200, $full_ms + $extra_ms))")
        else
            until grep -q libonnxruntime "/proc/$pid/maps" 2>/dev/null || ! kill -0 "$pid" 2>/dev/null; do sleep 0.02; done
            delay_ms=$(( RANDOM % (${LOAD_MS:-150} + 1) ))
        fi
        sleep "$((delay_ms / 1000)).$(printf %03d $((delay_ms % 1000)))"
        kill -s "$signal" "$pid" 2>/dev/null || true
        status=0
        wait "$pid" || status=$?
        [[ -n ${VERBOSE:-} ]] && echo "  $what kill $i: SIG$signal after $delay_ms ms, exit status $status"
        if [[ $status == 0 && $what == ask ]]; then
            finished=$((finished + 1))
        elif [[ $status != "$expected" ]]; then
            bad_status=$((bad_status + 1))
            echo "  $what kill $i (SIG$signal after $delay_ms ms): exit status $status, expected $expected"
        fi
    done
    crashes=$(find "$work" -maxdepth 1 -name 'hs_err_pid*.log' | wc -l)
    mkdir -p "$work/crashes-$what"
    find "$work" -maxdepth 1 -name 'hs_err_pid*.log' -exec mv -t "$work/crashes-$what" {} +
    echo "$what: $kills kills, $crashes crash logs, $bad_status unexpected exit statuses, $finished finished before the kill"
    if (( crashes + bad_status )); then failures=$((failures + 1)); fi
}

[[ $mode == window ]] || run_kills ask
[[ $mode == ask ]] || run_kills window

leftovers=$(find "$home" \( -name '*.tmp' -o -name '*.part' \) | wc -l)
broken=0
while IFS= read -r -d '' json; do
    python3 -c "import json, sys; json.load(open(sys.argv[1]))" "$json" 2>/dev/null \
        || { echo "  not valid JSON: ${json#"$home"/}"; broken=$((broken + 1)); }
done < <(find "$home" -name '*.json' -print0)
echo "settings/history: $(find "$home" -name '*.json' | wc -l) JSON files, $broken broken, $leftovers temporary files left"
if (( broken + leftovers )); then failures=$((failures + 1)); fi
exit $(( failures > 0 ))
