package io.glance.vision;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads OpenCV's native library once per process: from the app's own native folder when the installer
 * put it there (system property {@code glance.native.dir}), otherwise from the OpenCV jar (which extracts
 * it to a temporary folder). Thread-safe.
 */
public final class OpenCvLibrary {
    private static volatile boolean loaded;

    private OpenCvLibrary() {
    }

    /** Loads the library if this process has not yet; later calls return at once. */
    public static void ensureLoaded() {
        if (loaded) {
            return;
        }
        synchronized (OpenCvLibrary.class) {
            if (loaded) {
                return;
            }
            String dir = System.getProperty("glance.native.dir");
            Path bundled = dir == null ? null : Path.of(dir, System.mapLibraryName(org.opencv.core.Core.NATIVE_LIBRARY_NAME));
            if (bundled != null && Files.isRegularFile(bundled)) {
                System.load(bundled.toAbsolutePath().toString());
            } else {
                nu.pattern.OpenCV.loadLocally();
            }
            loaded = true;
        }
    }
}
