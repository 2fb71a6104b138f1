#!/usr/bin/env bash
# Renders glance.svg (the one source icon) to the PNG sizes, the Windows ICO and the macOS ICNS used by the
# window and the installers. Needs Debian's librsvg2-bin, imagemagick and icnsutils. Outputs are committed.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p png
for size in 16 24 32 48 64 128 256 512 1024; do
    rsvg-convert -w $size -h $size glance.svg -o png/glance-$size.png
done
/usr/bin/convert png/glance-16.png png/glance-24.png png/glance-32.png png/glance-48.png png/glance-64.png \
    png/glance-128.png png/glance-256.png glance.ico
png2icns glance.icns png/glance-16.png png/glance-32.png png/glance-128.png png/glance-256.png \
    png/glance-512.png png/glance-1024.png >/dev/null
