#!/usr/bin/env bash
# JMH micro-benchmarks of the hot Java pieces (app/src/bench/java/io/glance/bench): preprocessing a camera
# frame, one decode step's KV hand-off, choosing a token, streaming detokenization.
#   scripts/bench/jmh.sh                         # all of them
#   scripts/bench/jmh.sh DecodeStep -prof gc     # any JMH arguments (a name filter, -f, -wi, -i, -prof ...)
#   JMH_JVM_ARGS="-Dglance.bench.model=perf-models/model256" scripts/bench/jmh.sh DecodeStep
# Results: the table JMH prints, and app/target/jmh-result.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
./mvnw -B -q -DskipTests test-compile
./mvnw -B -q -pl app dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/jmh-classpath.txt
classpath="app/target/test-classes:app/target/classes:$(cat app/target/jmh-classpath.txt)"
exec java -cp "$classpath" org.openjdk.jmh.Main -rf json -rff app/target/jmh-result.json \
    -jvmArgsAppend "-Dglance.repo.root=$root -Dai.djl.offline=true ${JMH_JVM_ARGS:-}" "$@"
