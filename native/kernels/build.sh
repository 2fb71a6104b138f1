#!/usr/bin/env bash
# Compiles Glance's native kernels (native/kernels/*.c, an ONNX Runtime custom-operator library) into
# OUT/io/glance/native/linux-x64/libglance_kernels.so, where the app finds it in its jar. Maven runs it on
# Linux x86-64 (app/pom.xml); with no C compiler it says so and builds nothing, and the app then runs ONNX
# Runtime's own 4-bit kernel. The library checks for AVX-512 when ONNX Runtime registers it.
# Usage: native/kernels/build.sh OUT      (CC picks the compiler; default gcc, then cc)
set -euo pipefail
out=${1:?usage: native/kernels/build.sh OUT}
here=$(cd "$(dirname "$0")" && pwd)
cc=${CC:-$(command -v gcc || command -v cc || true)}
if [[ -z $cc ]]; then
    echo "native kernels: no C compiler (gcc or cc) here, so none built; ONNX Runtime's 4-bit kernel runs instead"
    exit 0
fi
mkdir -p "$out/io/glance/native/linux-x64"
"$cc" -O3 -std=c11 -fPIC -shared -fvisibility=hidden -Wall -Wextra -Werror \
    -o "$out/io/glance/native/linux-x64/libglance_kernels.so" "$here"/*.c -lm
