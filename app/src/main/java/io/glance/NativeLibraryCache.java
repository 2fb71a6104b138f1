package io.glance;

import io.glance.onnx.NativeKernels;
import io.glance.settings.FolderTree;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Unpacks the native libraries that ONNX Runtime and OpenCV carry inside their jars, and Glance's own kernels
 * ({@link NativeKernels}), into the user's cache folder once, and points each library at that copy. Without it every {@code java -jar} launch writes about
 * 90 MB of libraries to a temporary folder before the first model loads (ONNX Runtime ≈ 0.15 s, OpenCV
 * 0.4–1 s); with it they load in place. A library whose folder the launcher already set (the installers
 * ship them unpacked) is left alone, and any failure (a read-only cache, a platform without a bundled
 * library) leaves the library's own extraction to work as before. Call at start-up, before either library
 * loads, from one thread.
 */
public final class NativeLibraryCache {
    /** The folder ONNX Runtime's Java binding loads its libraries from. */
    static final String ONNXRUNTIME_PROPERTY = "onnxruntime.native.path";
    /** The folder {@link io.glance.vision.OpenCvLibrary} loads OpenCV from. */
    static final String OPENCV_PROPERTY = "glance.native.dir";

    private static final List<String> ONNXRUNTIME_LIBRARIES =
            List.of("onnxruntime", "onnxruntime4j_jni", "onnxruntime_providers_shared", "onnxruntime_providers_cuda");

    private NativeLibraryCache() {
    }

    /** Points ONNX Runtime, OpenCV and DJL's tokenizer library at copies kept under {@code cacheDir}. */
    public static void prepare(Path cacheDir) {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        Path nativeRoot = cacheDir.resolve("native");
        if (unset(ONNXRUNTIME_PROPERTY)) {
            String folder = "ai/onnxruntime/native/" + onnxRuntimePlatform(os, arch) + "/";
            List<String> resources = ONNXRUNTIME_LIBRARIES.stream().map(name -> folder + System.mapLibraryName(name)).toList();
            unpack("onnxruntime", resources, 2, nativeRoot)
                    .ifPresent(dir -> System.setProperty(ONNXRUNTIME_PROPERTY, dir.toString()));
        }
        if (unset(OPENCV_PROPERTY)) {
            String resource = "nu/pattern/opencv/" + openCvPlatform(os, arch) + "/"
                    + System.mapLibraryName(org.opencv.core.Core.NATIVE_LIBRARY_NAME);
            unpack("opencv", List.of(resource), 1, nativeRoot)
                    .ifPresent(dir -> System.setProperty(OPENCV_PROPERTY, dir.toString()));
        }
        if (unset(NativeKernels.FOLDER_PROPERTY)) {
            unpack("glance-kernels", List.of(NativeKernels.RESOURCE), 1, nativeRoot)
                    .ifPresent(dir -> System.setProperty(NativeKernels.FOLDER_PROPERTY, dir.toString()));
        }
        if (System.getProperty("DJL_CACHE_DIR") == null && System.getenv("DJL_CACHE_DIR") == null) {
            System.setProperty("DJL_CACHE_DIR", cacheDir.resolve("djl").toString());
        }
    }

    /** Whether {@code property} names no folder that exists (never set, or set by an earlier run to one now gone). */
    private static boolean unset(String property) {
        String value = System.getProperty(property);
        return value == null || !Files.isDirectory(Path.of(value));
    }

    /**
     * Copies the class-path {@code resources} that exist into {@code nativeRoot/<name>-<fingerprint>}, unless
     * a complete copy is already there, and removes the copies of other versions.
     *
     * @param required how many of the first {@code resources} must exist for the copy to be usable
     * @return the folder, or empty when a required resource is missing or the copy failed
     */
    static Optional<Path> unpack(String name, List<String> resources, int required, Path nativeRoot) {
        try {
            List<Library> found = new ArrayList<>();
            for (int i = 0; i < resources.size(); i++) {
                URL url = NativeLibraryCache.class.getClassLoader().getResource(resources.get(i));
                if (url == null && i < required) {
                    return Optional.empty();
                }
                if (url != null) {
                    found.add(Library.describe(url, resources.get(i)));
                }
            }
            Path dir = nativeRoot.resolve(name + "-" + fingerprint(found));
            Files.createDirectories(dir);
            for (Library library : found) {
                library.copyUnlessPresent(dir);
            }
            removeOtherVersions(nativeRoot, name, dir);
            return Optional.of(dir);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** One library inside the class path: where it is, its file name and the facts that identify its bytes. */
    private record Library(URL url, String fileName, long size, String identity) {
        static Library describe(URL url, String resource) throws IOException {
            URLConnection connection = url.openConnection();
            String fileName = resource.substring(resource.lastIndexOf('/') + 1);
            if (connection instanceof JarURLConnection jar) {
                var entry = jar.getJarEntry();
                return new Library(url, fileName, entry.getSize(), resource + ":" + entry.getSize() + ":" + entry.getCrc());
            }
            long size = connection.getContentLengthLong();
            return new Library(url, fileName, size, resource + ":" + size + ":" + connection.getLastModified());
        }

        void copyUnlessPresent(Path dir) throws IOException {
            Path target = dir.resolve(fileName);
            if (Files.isRegularFile(target) && Files.size(target) == size) {
                return;
            }
            Path partial = Files.createTempFile(dir, fileName, ".partial");
            try (InputStream in = url.openStream()) {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(partial);
            }
        }
    }

    private static String fingerprint(List<Library> libraries) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Library library : libraries) {
                digest.update(library.identity().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Best effort: a copy still loaded by a running older version may refuse deletion (Windows). */
    private static void removeOtherVersions(Path nativeRoot, String name, Path keep) throws IOException {
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(nativeRoot, name + "-*")) {
            for (Path sibling : siblings) {
                if (!sibling.equals(keep) && Files.isDirectory(sibling)) {
                    deleteTree(sibling);
                }
            }
        }
    }

    private static void deleteTree(Path dir) {
        try {
            FolderTree.delete(dir);
        } catch (IOException ignored) {
            // left for the next start
        }
    }

    /** ONNX Runtime's folder name for a platform, as its Java binding computes it. */
    static String onnxRuntimePlatform(String os, String arch) {
        String system = os.startsWith("windows") ? "win" : os.startsWith("mac") ? "osx" : "linux";
        String cpu = arch.equals("amd64") || arch.equals("x86_64") ? "x64" : arch;
        return system + "-" + cpu;
    }

    /** The OpenCV jar's (org.openpnp) folder name for a platform. */
    static String openCvPlatform(String os, String arch) {
        String system = os.startsWith("windows") ? "windows" : os.startsWith("mac") ? "osx" : "linux";
        String cpu = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "ARMv8";
            case "arm" -> "ARMv7";
            default -> "x86_32";
        };
        return system + "/" + cpu;
    }
}
