#!/usr/bin/env python3
"""Stages Glance for one platform: the app jar without any other platform's native libraries, and the
target platform's large native libraries (ONNX Runtime, OpenCV, HF tokenizers, JavaFX) in a plain
folder beside it, loaded from there at launch instead of being extracted to a temporary folder.

Usage: python3 native/stage.py --jar app/target/glance.jar --platform linux-x64 --out build/linux-x64
writes OUT/glance.jar and OUT/native/*. The launcher passes (see installer/*.args):
  -Donnxruntime.native.path=$APPDIR/native  -Dglance.native.dir=$APPDIR/native
  -DRUST_LIBRARY_PATH=$APPDIR/native/<tokenizers library>  -Djava.library.path=$APPDIR/native
Platforms: linux-x64, win-x64, osx-aarch64 (JavaFX natives are those of the OS the jar was built on).
Standard library only.
"""
import argparse
import os
import re
import zipfile

# Large natives: extracted for the target, removed from the jar for every platform.
EXTRACTED = {
    'linux-x64': [r'ai/onnxruntime/native/linux-x64/[^/]+\.so$', r'nu/pattern/opencv/linux/x86_64/[^/]+$',
                  r'native/lib/linux-x86_64/cpu/[^/]+$', r'[^/]+\.so$'],
    'win-x64': [r'ai/onnxruntime/native/win-x64/[^/]+\.dll$', r'nu/pattern/opencv/windows/x86_64/[^/]+$',
                r'native/lib/win-x86_64/cpu/[^/]+$', r'[^/]+\.dll$'],
    'osx-aarch64': [r'ai/onnxruntime/native/osx-aarch64/[^/]+\.dylib$', r'nu/pattern/opencv/osx/ARMv8/[^/]+$',
                    r'native/lib/osx-aarch64/cpu/[^/]+$', r'[^/]+\.dylib$'],
}
LARGE = [r'ai/onnxruntime/native/', r'nu/pattern/opencv/(linux|osx|windows)/', r'native/lib/',
         r'[^/]+\.(so|dll|dylib)$']
# Small natives that their libraries load themselves: kept in the jar for the target only.
SMALL_FAMILIES = {
    r'com/sun/jna/[^/]+/': {'linux-x64': 'com/sun/jna/linux-x86-64/', 'win-x64': 'com/sun/jna/win32-x86-64/',
                            'osx-aarch64': 'com/sun/jna/darwin-aarch64/'},
    r'org/bridj/lib/[^/]+/': {'linux-x64': 'org/bridj/lib/linux_x64/', 'win-x64': 'org/bridj/lib/win64/',
                              'osx-aarch64': 'org/bridj/lib/darwin_universal/'},
    r'com/github/sarxos/webcam/ds/buildin/lib/[^/]+/': {
        'linux-x64': 'com/github/sarxos/webcam/ds/buildin/lib/linux_x64/',
        'win-x64': 'com/github/sarxos/webcam/ds/buildin/lib/win64/',
        'osx-aarch64': 'com/github/sarxos/webcam/ds/buildin/lib/darwin_universal/'},
    r'(linux-x86-64|linux-x86|win32-x86-64|win32-x86|darwin-aarch64|darwin-x86-64)/': {
        'linux-x64': 'linux-x86-64/', 'win-x64': 'win32-x86-64/', 'osx-aarch64': 'darwin-aarch64/'},
}


def is_native(name):
    return re.search(r'\.(so|dll|dylib|jnilib|yml|plist)$', name) or '.dSYM/' in name


def keep_in_jar(name, platform):
    if not is_native(name):
        return True
    if any(re.match(p, name) for p in LARGE):
        return False
    for family, targets in SMALL_FAMILIES.items():
        if re.match(family, name):
            return name.startswith(targets[platform])
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--jar', required=True)
    ap.add_argument('--platform', required=True, choices=sorted(EXTRACTED))
    ap.add_argument('--out', required=True)
    a = ap.parse_args()
    native_dir = os.path.join(a.out, 'native')
    os.makedirs(native_dir, exist_ok=True)
    extracted, dropped = [], 0
    with zipfile.ZipFile(a.jar) as src, \
            zipfile.ZipFile(os.path.join(a.out, 'glance.jar'), 'w', zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            name = info.filename
            if any(re.match(p, name) for p in EXTRACTED[a.platform]) and is_native(name):
                target = os.path.join(native_dir, os.path.basename(name))
                with open(target, 'wb') as f:
                    f.write(src.read(info))
                extracted.append(os.path.basename(name))
            if keep_in_jar(name, a.platform):
                dst.writestr(info, src.read(info))
            else:
                dropped += 1
    print(f'{a.platform}: extracted {len(extracted)} libraries to {native_dir}: {", ".join(sorted(extracted))}; '
          f'dropped {dropped} native entries from the jar')


if __name__ == '__main__':
    main()
