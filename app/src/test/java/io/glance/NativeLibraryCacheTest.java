package io.glance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NativeLibraryCacheTest {
    private static final String JNI = "ai/onnxruntime/native/" + NativeLibraryCache.onnxRuntimePlatform(
            System.getProperty("os.name").toLowerCase(), System.getProperty("os.arch")) + "/"
            + System.mapLibraryName("onnxruntime4j_jni");

    @TempDir
    Path cache;

    @Test
    void copiesALibraryOutOfItsJarOnceAndLeavesAGoodCopyAlone() throws Exception {
        Path dir = NativeLibraryCache.unpack("onnxruntime", List.of(JNI), 1, cache).orElseThrow();
        Path copy = dir.resolve(System.mapLibraryName("onnxruntime4j_jni"));
        assertArrayEquals(resourceBytes(JNI), Files.readAllBytes(copy));

        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(copy, old);
        assertEquals(dir, NativeLibraryCache.unpack("onnxruntime", List.of(JNI), 1, cache).orElseThrow());
        assertEquals(old, Files.getLastModifiedTime(copy), "a complete copy is not written again");
    }

    @Test
    void aTruncatedCopyIsReplacedAndOtherVersionsAreRemoved() throws Exception {
        Path dir = NativeLibraryCache.unpack("onnxruntime", List.of(JNI), 1, cache).orElseThrow();
        Path copy = dir.resolve(System.mapLibraryName("onnxruntime4j_jni"));
        Files.write(copy, new byte[10]);
        Path olderVersion = Files.createDirectories(cache.resolve("onnxruntime-0123456789abcdef"));
        Files.write(olderVersion.resolve("libold.so"), new byte[5]);
        Path otherLibrary = Files.createDirectories(cache.resolve("opencv-0123456789abcdef"));

        NativeLibraryCache.unpack("onnxruntime", List.of(JNI), 1, cache).orElseThrow();

        assertArrayEquals(resourceBytes(JNI), Files.readAllBytes(copy));
        assertFalse(Files.exists(olderVersion));
        assertTrue(Files.isDirectory(otherLibrary), "another library's copy is not touched");
        try (var left = Files.list(dir)) {
            assertEquals(List.of(copy), left.toList(), "no partial file is left behind");
        }
    }

    @Test
    void aMissingRequiredLibraryMeansNoFolderAndOptionalOnesAreSkipped() throws Exception {
        assertEquals(Optional.empty(),
                NativeLibraryCache.unpack("onnxruntime", List.of("ai/onnxruntime/native/nowhere/libx.so"), 1, cache));
        try (var left = Files.list(cache)) {
            assertEquals(0, left.count());
        }
        Path dir = NativeLibraryCache.unpack("onnxruntime", List.of(JNI, "ai/onnxruntime/native/nowhere/liby.so"), 1, cache)
                .orElseThrow();
        try (var copies = Files.list(dir)) {
            assertEquals(1, copies.count());
        }
    }

    @Test
    void platformFoldersMatchTheBundledJars() {
        assertEquals("win-x64", NativeLibraryCache.onnxRuntimePlatform("windows 11", "amd64"));
        assertEquals("osx-aarch64", NativeLibraryCache.onnxRuntimePlatform("mac os x", "aarch64"));
        assertEquals("osx/ARMv8", NativeLibraryCache.openCvPlatform("mac os x", "aarch64"));
        assertEquals("windows/x86_64", NativeLibraryCache.openCvPlatform("windows 10", "amd64"));
        String os = System.getProperty("os.name").toLowerCase();
        String arch = System.getProperty("os.arch");
        ClassLoader loader = getClass().getClassLoader();
        assertNotNull(loader.getResource("ai/onnxruntime/native/" + NativeLibraryCache.onnxRuntimePlatform(os, arch) + "/"
                + System.mapLibraryName("onnxruntime")), "this platform's ONNX Runtime library is where the cache looks");
        assertNotNull(loader.getResource("nu/pattern/opencv/" + NativeLibraryCache.openCvPlatform(os, arch) + "/"
                + System.mapLibraryName(org.opencv.core.Core.NATIVE_LIBRARY_NAME)), "and OpenCV's");
    }

    private static byte[] resourceBytes(String resource) throws Exception {
        try (InputStream in = NativeLibraryCacheTest.class.getClassLoader().getResourceAsStream(resource)) {
            return in.readAllBytes();
        }
    }
}
