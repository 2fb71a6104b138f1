package io.glance.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;

/**
 * Glance's native kernel library ({@code native/kernels}): ONNX Runtime custom operators in float32 with AVX-512 for
 * the fused decoder. {@code io.glance.MatMulQ4Tiles} computes its 4-bit linear layers, about twice as fast as ONNX
 * Runtime's own for one token at a time; {@code io.glance.CachedAttention} its attention over the in-place KV cache,
 * without GroupQueryAttention's per-call overhead. Built into the jar for Linux x86-64; it registers only on a CPU
 * with AVX-512, and everywhere else (another platform, a jar built without a C compiler, {@code
 * -Dglance.tileKernel=false}) the decoder keeps ONNX Runtime's MatMulNBits and GroupQueryAttention. Thread-safe;
 * the check runs once.
 */
public final class NativeKernels {
    /** Where the library lies in the jar. */
    public static final String RESOURCE = "io/glance/native/linux-x64/" + System.mapLibraryName("glance_kernels");
    /** The folder holding an unpacked copy (set by {@link io.glance.NativeLibraryCache}). */
    public static final String FOLDER_PROPERTY = "glance.kernels.dir";
    /** {@code false} turns the library off (for comparisons). */
    public static final String SWITCH_PROPERTY = "glance.tileKernel";
    /** What the decoder's 4-bit layers run on with the library, for {@code bench}'s JSON and notes. */
    public static final String KERNEL_NAME = "glance-q4-tiles";
    /** What the decoder's attention runs on with the library, for {@code bench}'s JSON. */
    public static final String ATTENTION_NAME = "glance-cached-attention";

    private NativeKernels() {
    }

    /** The library, when it is there, turned on, and registers on this CPU: checked once per process. */
    public static Optional<Path> usable() {
        return Optional.ofNullable(Holder.CHECK.library());
    }

    /**
     * Registers the library's operators with {@code options} when it is {@link #usable()}.
     *
     * @return whether they were registered
     */
    static boolean registerInto(OrtSession.SessionOptions options) throws OrtException {
        Optional<Path> library = usable();
        if (library.isEmpty()) {
            return false;
        }
        options.registerCustomOpLibrary(library.get().toString());
        return true;
    }

    /** Why the library is not used, for people; empty when it is. */
    public static String unusedReason() {
        return Holder.CHECK.reason();
    }

    /** The library to use, or {@code null} and why not. */
    private record Check(Path library, String reason) {
        static Check unused(String reason) {
            return new Check(null, reason);
        }
    }

    private static final class Holder {
        static final Check CHECK = find();

        private static Check find() {
            if (!Boolean.parseBoolean(System.getProperty(SWITCH_PROPERTY, "true"))) {
                return Check.unused(SWITCH_PROPERTY + "=false");
            }
            Path file;
            try {
                file = unpacked();
            } catch (IOException e) {
                return Check.unused("the kernel library could not be unpacked (" + e.getMessage() + ")");
            }
            if (file == null) {
                return Check.unused("no kernel library for " + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
            }
            OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions probe = new OrtSession.SessionOptions()) {
                // Loaded for good: ONNX Runtime unloads a library with the last options that registered it,
                // while sessions made from them still call its operators.
                System.load(file.toString());
                probe.registerCustomOpLibrary(file.toString());
                return new Check(file, "");
            } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
                return Check.unused("the kernel library does not register (" + e.getMessage() + ")");
            }
        }

        /** The unpacked library: the copy {@link io.glance.NativeLibraryCache} made, or a temporary one. */
        private static Path unpacked() throws IOException {
            String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
            String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
            if (!os.startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
                return null;
            }
            String folder = System.getProperty(FOLDER_PROPERTY);
            String fileName = RESOURCE.substring(RESOURCE.lastIndexOf('/') + 1);
            if (folder != null && Files.isRegularFile(Path.of(folder, fileName))) {
                return Path.of(folder, fileName);
            }
            URL url = NativeKernels.class.getClassLoader().getResource(RESOURCE);
            if (url == null) {
                return null;
            }
            Path copy = Files.createTempFile("glance-kernels", ".so");
            copy.toFile().deleteOnExit();
            try (InputStream in = url.openStream()) {
                Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            }
            return copy;
        }
    }
}
