#!/usr/bin/env bash
# Privacy check for Glance (issue #5): records every connect() the app makes with strace and fails when
#   - `glance models pull` connects anywhere but the configured loopback download host and port, or
#   - `glance models list` / `glance ask` / `glance classify` (the bundled demo CLIP) connect to any network
#     address at all.
# AF_UNIX connects (local sockets, e.g. nscd) are allowed.
#
# Usage: scripts/check-network.sh [path/to/glance.jar]   (default: app/target/glance.jar; build it first)
# Needs: strace, python3 (serves the tiny test model on 127.0.0.1), java 17+.
# Exit status: 0 when clean, 1 on a violation, 2 when the check itself could not run.
set -euo pipefail

repo_root="$(cd "$(dirname "$0")/.." && pwd)"
jar="${1:-$repo_root/app/target/glance.jar}"
model="$repo_root/app/src/test/resources/models/tiny-random"
for tool in strace python3 java; do
    command -v "$tool" >/dev/null || { echo "check-network: $tool is not installed" >&2; exit 2; }
done
[[ -f "$jar" ]] || { echo "check-network: $jar not found; run ./mvnw -DskipTests package" >&2; exit 2; }

work="$(mktemp -d)"
server_pid=""
cleanup() {
    if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; fi
    [[ -n "${KEEP_WORK:-}" ]] && echo "kept $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT

# A Hugging Face-like layout: /{repo}/resolve/{revision}/{path}
mkdir -p "$work/www/test/tiny-random/resolve"
ln -s "$model" "$work/www/test/tiny-random/resolve/main"
python3 - "$model" "$work/catalog.json" <<'PY'
import hashlib, json, os, sys
root, out = sys.argv[1], sys.argv[2]
files = []
for d, _, names in os.walk(root):
    for n in sorted(names):
        p = os.path.join(d, n)
        files.append({"path": os.path.relpath(p, root).replace(os.sep, "/"), "size": os.path.getsize(p),
                      "sha256": hashlib.sha256(open(p, "rb").read()).hexdigest()})
model = {"id": "tiny-random", "name": "tiny-random", "repo": "test/tiny-random", "revision": "main",
         "description": "network check", "family": "SmolVLM", "good_at": "checking the network", "licence": "Apache-2.0",
         "recommended_precision": {"cpu": "q4", "gpu": "fp32"}, "precision_sets": ["q4", "fp32"],
         "verification": "test", "files": files}
json.dump({"catalog_version": 1, "default_base_url": "http://127.0.0.1:9", "models": [model]}, open(out, "w"))
PY

python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$work/www" >"$work/server.log" 2>&1 &
server_pid=$!
port=""
for _ in $(seq 50); do
    port="$(sed -n 's/.*port \([0-9]*\).*/\1/p' "$work/server.log" | head -1)"
    [[ -n "$port" ]] && break
    sleep 0.1
done
[[ -n "$port" ]] || { echo "check-network: the loopback server did not start" >&2; exit 2; }

java_opts=(-Dglance.home="$work/home" -Dglance.catalog="$work/catalog.json")
status=0

# Prints the network connects (not AF_UNIX) found in an strace log, one per line.
network_connects() {
    grep -E 'connect\(' "$1" | grep -E 'AF_INET6?' || true
}

run_traced() {  # name, then the glance arguments
    local name="$1"; shift
    if ! strace -f -qq -e trace=connect -o "$work/$name.strace" \
            java "${java_opts[@]}" -jar "$jar" "$@" >"$work/$name.out" 2>&1; then
        echo "check-network: '$*' failed:" >&2
        cat "$work/$name.out" >&2
        exit 2
    fi
}

run_traced pull models pull tiny-random --precision q4 --base-url "http://127.0.0.1:$port"
allowed="htons\($port\).*(inet_addr\(\"127\.0\.0\.1\"\)|\"::ffff:127\.0\.0\.1\")"
if [[ -z "$(network_connects "$work/pull.strace")" ]]; then
    echo "check-network: FAIL: pull made no connection to the loopback server (did it download?)" >&2
    status=1
fi
bad="$(network_connects "$work/pull.strace" | grep -Ev "$allowed" || true)"
if [[ -n "$bad" ]]; then
    echo "check-network: FAIL: pull connected somewhere other than 127.0.0.1:$port:" >&2
    echo "$bad" >&2
    status=1
fi

run_traced list models list
run_traced ask ask --model "$work/home/models/tiny-random" --dtype q4 --max-new-tokens 4 "What is this?"
run_traced classify classify --labels "red circle,blue square" "$repo_root/scripts/reference/images/tiny-8x8.png"
for name in list ask classify; do
    bad="$(network_connects "$work/$name.strace")"
    if [[ -n "$bad" ]]; then
        echo "check-network: FAIL: '$name' opened network connections:" >&2
        echo "$bad" >&2
        status=1
    fi
done

if [[ $status -eq 0 ]]; then
    echo "check-network: OK (pull: only 127.0.0.1:$port; list, ask and classify: no network connections)"
fi
exit $status
