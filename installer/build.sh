#!/usr/bin/env bash
# Builds Glance's installers for the platform this runs on, with its own Java runtime (jlink), the
# bundled demo model, and only this platform's native libraries (native/stage.py), loaded from the app
# folder. Run from anywhere: installer/build.sh [TYPE...]
#   Linux:   app-image deb rpm   (default: all three; deb needs fakeroot + binutils, rpm needs rpm)
#   Windows: app-image msi       (needs the WiX toolset; run in Git Bash)   -- unverified here
#   macOS:   app-image dmg                                                   -- unverified here
# GLANCE_FLAVOUR=cuda builds the CUDA flavour (Linux, Windows): the GPU build of ONNX Runtime (-Pcuda),
# packaged as glance-cuda; it falls back to the CPU where CUDA 12 is missing.
# Output: build/installer/out/. Figures: installer/measure.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
case "$(uname -s)" in
    Linux) os=linux platform=linux-x64 default_types="app-image deb rpm" ;;
    Darwin) os=macos platform=osx-aarch64 default_types="app-image dmg" ;;
    MINGW*|MSYS*|CYGWIN*) os=windows platform=win-x64 default_types="app-image msi" ;;
    *) echo "unsupported OS $(uname -s)" >&2; exit 2 ;;
esac
types=${*:-$default_types}
build=build/installer
rm -rf "$build"
mkdir -p "$build/input/model-assets" "$build/out"

flavour=${GLANCE_FLAVOUR:-cpu}
maven_profile=()
name_args=()
if [ "$flavour" = cuda ]; then
    maven_profile=(-Pcuda)
    name_args=(--name Glance-CUDA)
    [ "$os" = linux ] && name_args+=(--linux-package-name glance-cuda)
fi
./mvnw -q "${maven_profile[@]}" -DskipTests package
python3 native/stage.py --jar app/target/glance.jar --platform "$platform" --out "$build/input"
if [ "$os" = linux ] && command -v strip >/dev/null; then
    strip --strip-unneeded "$build"/input/native/*.so
fi
cp -r model-assets/glance-demo-shapes model-assets/catalog.json "$build/input/model-assets/"

modules=$(jdeps --ignore-missing-deps --print-module-deps --multi-release 17 "$build/input/glance.jar")
# Loaded reflectively or by the JDK itself: HTTPS downloads (HTTP client, elliptic-curve TLS), JFR off.
# jdk.unsupported: io.glance.onnx.DirectBuffers frees tensor buffers through it (looked up reflectively, so jdeps cannot see it)
modules="$modules,java.net.http,jdk.crypto.ec,java.logging,jdk.zipfs,jdk.unsupported"
jlink @installer/jlink.args --add-modules "$modules" --output "$build/runtime"

# The app image first; the packages are made from it, so that they carry what is changed in it here.
app_name=${name_args[1]:-Glance}
jvm_options=()  # app/jvm.options, without its comments: the JVM options the jar is run with
while read -r option; do jvm_options+=(--java-options "$option"); done < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' app/jvm.options)
jpackage @installer/common.args @installer/app-image.args "@installer/$os/jpackage.args" "${name_args[@]:0:2}" \
    "${jvm_options[@]}" --type app-image --input "$build/input" --runtime-image "$build/runtime" --dest "$build/out"
if [ "$os" = linux ]; then
    install -m 755 installer/linux/launcher.sh "$build/out/$app_name/bin/$app_name"
fi
for type in $types; do
    [ "$type" = app-image ] && continue
    package_args=()
    [ -f "installer/$os/package.args" ] && package_args=("@installer/$os/package.args")
    icon_args=($(grep -- '^--icon ' "installer/$os/jpackage.args")) # the menu entry's icon
    jpackage @installer/common.args "${package_args[@]}" "${icon_args[@]}" "${name_args[@]}" --type "$type" \
        --app-image "$build/out/$app_name" --dest "$build/out"
done
ls -la "$build/out"
