package io.glance.onnx.fusion;

import io.glance.model.ModelFolder;
import io.glance.onnx.proto.Onnx.ModelProto;
import io.glance.onnx.proto.Onnx.NodeProto;
import io.glance.onnx.proto.Onnx.TensorProto;
import io.glance.onnx.proto.Onnx.ValueInfoProto;
import io.glance.settings.FolderTree;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Gives the decoder graph to run for a {@link DecoderChoice}: the fused graph of a published decoder, built once
 * and kept in a cache folder (keyed by the published file's path, size and time, and by this rewrite's version), or
 * the published file with the reason. A fused graph is used only after its logits matched the published graph's on
 * a probe ({@link Check}); a graph that did not, or that the rewrite does not take, is remembered as refused so
 * later loads skip straight to the published file. The published files are never written. Call from one thread per
 * model folder at a time (two processes building the same graph each write their own file and move it in place).
 */
public final class DecoderFusion {
    /** Bumped whenever the fused graph changes, so older cached graphs are not used. */
    static final int REWRITE_VERSION = 3;
    /** The largest relative logit difference (to the largest logit) the fused graph may show against the published one. */
    static final double TOLERANCE = 1e-3;
    /**
     * The same for int8 arithmetic, which rounds every activation to 8 bits: a bound against broken graphs, not
     * a promise of closeness (the real-size random-weight model gives about 0.05).
     */
    static final double INT8_TOLERANCE = 0.25;
    private static final String EXACT_FOLDER = "fused";
    private static final String INT8_FOLDER = "fused-int8";
    /** The graph in a fused folder; its weights, pre-packed by ONNX Runtime, lie beside it in {@link #WEIGHTS_FILE}. */
    private static final String GRAPH_FILE = "decoder.onnx";
    private static final String WEIGHTS_FILE = "decoder.weights";
    private static final String REFUSED_FILE = "refused.txt";
    /** The versions of Glance's operators and the tile layout, in the cache key of graphs that may use them. */
    private static final String GLANCE_KERNELS_VERSION = "io.glance: MatMulQ4Tiles 3, CachedAttention 2";
    /** MatMulNBits computing with int8 activations. */
    private static final long INT8_ACCURACY_LEVEL = 4;

    /** Runs two decoder graphs on the same probe input. */
    @FunctionalInterface
    public interface Check {
        /**
         * The largest difference between the two graphs' logits on a probe (a prompt, then one step with the
         * cache), relative to the largest logit of {@code published}.
         *
         * @throws Exception when either graph does not run
         */
        double logitDifference(Path published, Path fused) throws Exception;
    }

    /** Saves a graph as ONNX Runtime optimizes it for this machine's CPU, with its pre-packed weights. */
    @FunctionalInterface
    public interface Optimizer {
        /**
         * Writes {@code fused} as ONNX Runtime loads it into {@code optimized}, its weights (pre-packed) into
         * {@code weightsFileName} beside it.
         *
         * @throws Exception when ONNX Runtime cannot
         */
        void saveOptimized(Path fused, Path optimized, String weightsFileName) throws Exception;
    }

    private DecoderFusion() {
    }

    /**
     * The decoder graph of {@code published} (a decoder of {@code folder}) to run for {@code choice}.
     *
     * @param cacheRoot where fused graphs are kept (created when missing)
     * @param check     compares a freshly built fused graph with the published one
     * @param optimizer saves the fused graph as ONNX Runtime optimizes it, so later loads skip that work
     * @param runtime   the runtime and CPU the optimized graph is for (its version, the CPU's features): part of
     *                  the cache key, since pre-packed weights are laid out for them
     * @param glanceKernels whether the graph may run on Glance's own operators ({@code
     *                  io.glance.onnx.NativeKernels}, registered with every session that opens the graph): the exact
     *                  graph's 4-bit layers and, where the rotary embedding is the plain one, the attention; also
     *                  part of the cache key
     */
    public static DecoderGraph prepare(ModelFolder folder, Path published, DecoderChoice choice, Path cacheRoot,
                                       Check check, Optimizer optimizer, String runtime, boolean glanceKernels) {
        if (choice == DecoderChoice.PUBLISHED) {
            return DecoderGraph.published(published, "");
        }
        Path dir;
        try {
            dir = cacheRoot.resolve(cacheKey(folder, published, runtime + (glanceKernels ? "; " + GLANCE_KERNELS_VERSION : "")));
            if (Files.exists(dir.resolve(REFUSED_FILE))) {
                return DecoderGraph.published(published, Files.readString(dir.resolve(REFUSED_FILE), StandardCharsets.UTF_8).strip());
            }
            Files.createDirectories(dir);
        } catch (IOException e) {
            return DecoderGraph.published(published, "no cache folder for the fused decoder (" + e.getMessage() + ")");
        }
        Source source = new Source(folder, published);
        Builder builder = new Builder(source, check, optimizer, glanceKernels);
        try {
            Path exact = dir.resolve(EXACT_FOLDER);
            String note = "fused graph from the cache (" + exact + ")";
            if (!Files.exists(exact.resolve(GRAPH_FILE))) {
                note = builder.build(exact, -1, TOLERANCE);
            }
            if (choice == DecoderChoice.FUSED) {
                return new DecoderGraph(exact.resolve(GRAPH_FILE), DecoderChoice.FUSED.cliName(), note);
            }
            if (!source.hasBlockQuantizedLayers(exact.resolve(GRAPH_FILE))) {
                return new DecoderGraph(exact.resolve(GRAPH_FILE), DecoderChoice.FUSED.cliName(),
                        "no 4-bit layers, so int8 arithmetic does not apply; " + note);
            }
            return withInt8Arithmetic(builder, dir, exact.resolve(GRAPH_FILE), note);
        } catch (FusionRefused e) {
            String reason = "not fused: " + e.getMessage();
            try {
                Files.writeString(dir.resolve(REFUSED_FILE), reason + "\n", StandardCharsets.UTF_8);
            } catch (IOException ignored) {
                // the refusal is found again on the next load
            }
            return DecoderGraph.published(published, reason);
        } catch (IOException e) {
            return DecoderGraph.published(published, "the fused decoder could not be written (" + e.getMessage() + ")");
        }
    }

    /**
     * Removes the cached fused graph {@code graph} (one that did not open), so that the next load builds it again;
     * a published graph is left alone. Failures to delete are ignored: the next load then finds it broken again.
     */
    public static void discard(DecoderGraph graph) {
        if (!graph.fused()) {
            return;
        }
        try {
            FolderTree.delete(graph.file().getParent());
        } catch (IOException ignored) {
            // left in place; the next load falls back again
        }
    }

    /** The int8-arithmetic variant of the fused graph in {@code exact}; that graph itself when it cannot be had. */
    private static DecoderGraph withInt8Arithmetic(Builder builder, Path dir, Path exact, String exactNote)
            throws IOException {
        Path int8 = dir.resolve(INT8_FOLDER);
        if (Files.exists(int8.resolve(GRAPH_FILE))) {
            return new DecoderGraph(int8.resolve(GRAPH_FILE), DecoderChoice.FUSED_INT8.cliName(),
                    "int8-arithmetic fused graph from the cache (" + int8 + ")");
        }
        try {
            return new DecoderGraph(int8.resolve(GRAPH_FILE), DecoderChoice.FUSED_INT8.cliName(),
                    builder.build(int8, INT8_ACCURACY_LEVEL, INT8_TOLERANCE));
        } catch (FusionRefused e) {
            return new DecoderGraph(exact, DecoderChoice.FUSED.cliName(), "int8 arithmetic refused (" + e.getMessage() + "); " + exactNote);
        }
    }

    /** Which of Glance's operators a decoder graph runs: its 4-bit layers' tile kernel, its attention. */
    public record GlanceKernelUse(boolean tileKernel, boolean cachedAttention) {
    }

    /**
     * Which of Glance's operators ({@code io.glance.MatMulQ4Tiles}, {@code io.glance.CachedAttention}) {@code graph}
     * runs, from one read of its file; neither where it is published or cannot be read.
     */
    public static GlanceKernelUse glanceKernelUse(DecoderGraph graph) {
        if (!graph.fused()) {
            return new GlanceKernelUse(false, false);
        }
        try {
            Set<String> operators = OnnxModelFile.read(graph.file()).getGraph().getNodeList().stream()
                    .filter(FusedDecoderGraph::runsOnGlanceKernels).map(NodeProto::getOpType).collect(Collectors.toSet());
            return new GlanceKernelUse(operators.contains(FusedDecoderGraph.TILE_OPERATOR),
                    operators.contains(FusedDecoderGraph.ATTENTION_OPERATOR));
        } catch (IOException e) {
            return new GlanceKernelUse(false, false);
        }
    }

    /** Builds fused graphs of one published decoder into cache folders. */
    private record Builder(Source source, Check check, Optimizer optimizer, boolean glanceKernels) {
        /**
         * Builds the fused graph, has ONNX Runtime save it optimized with its weights pre-packed, checks that
         * against the published graph, and moves the folder holding it to {@code target}; says how it went. When
         * the pre-packed graph cannot be saved or fails the check (ONNX Runtime 1.28 reloads pre-packed int8
         * weights as NaN), the plain fused graph is checked and kept instead.
         *
         * @param tolerance the largest relative logit difference accepted ({@link #TOLERANCE} for the same
         *                  arithmetic; int8 arithmetic is meant to differ a little, {@link #INT8_TOLERANCE})
         */
        String build(Path target, long accuracyLevel, double tolerance) throws FusionRefused, IOException {
            long start = System.nanoTime();
            Source.Walked published = source.walked();
            ModelProto fused = FusedDecoderGraph.build(published.model(), published.index(), published.structure(),
                    published.settings(), accuracyLevel, glanceKernels);
            Path building = Files.createTempDirectory(target.getParent(), target.getFileName() + ".building-");
            try {
                Path plain = building.resolve("plain.onnx");
                try (OutputStream out = Files.newOutputStream(plain)) {
                    fused.writeTo(out);
                }
                Path graph = building.resolve(GRAPH_FILE);
                String packing;
                double difference;
                try {
                    optimizer.saveOptimized(plain, graph, WEIGHTS_FILE);
                    difference = difference(graph);
                    packing = acceptable(difference, tolerance) ? "weights pre-packed"
                            : String.format(Locale.ROOT, "weights not pre-packed: pre-packed, its logits differed by %.2g", difference);
                } catch (Exception e) {
                    difference = Double.NaN;
                    packing = "weights not pre-packed (" + e.getMessage() + ")";
                }
                if (acceptable(difference, tolerance)) {
                    Files.delete(plain);
                } else {
                    Files.deleteIfExists(building.resolve(WEIGHTS_FILE));
                    Files.move(plain, graph, StandardCopyOption.REPLACE_EXISTING);
                    difference = difference(graph);
                }
                if (!acceptable(difference, tolerance)) {
                    throw new FusionRefused(String.format(Locale.ROOT,
                            "the fused graph's logits differ from the published graph's by %.2g of the largest", difference));
                }
                double buildSeconds = (System.nanoTime() - start) / 1e9;
                moveInPlace(building, target);
                return String.format(Locale.ROOT, "fused graph built in %.1f s (%s) and checked: logits within %.1g of"
                        + " the published graph's (relative)", buildSeconds, packing, difference);
            } finally {
                FolderTree.delete(building);
            }
        }

        private double difference(Path graph) throws FusionRefused {
            try {
                return check.logitDifference(source.file(), graph);
            } catch (Exception e) {
                throw new FusionRefused("ONNX Runtime does not run the fused graph (" + e.getMessage() + ")");
            }
        }

        private static boolean acceptable(double difference, double tolerance) {
            return Double.isFinite(difference) && difference <= tolerance;
        }
    }

    /** Moves a finished folder to {@code target}, unless another process put one there first. */
    private static void moveInPlace(Path building, Path target) throws IOException {
        try {
            Files.move(building, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            // another process finished the same graph first: its folder is as good as this one
        }
    }

    /** The cache folder's name: a hash of the published file's identity, the runtime's and the rewrite's version. */
    private static String cacheKey(ModelFolder folder, Path published, String runtime) throws IOException {
        Path config = folder.root().resolve("config.json");
        String identity = String.join("\n", published.toAbsolutePath().normalize().toString(),
                Long.toString(Files.size(published)), Files.getLastModifiedTime(published).toString(),
                Long.toString(Files.size(config)), Files.getLastModifiedTime(config).toString(),
                runtime, Integer.toString(REWRITE_VERSION));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** The published decoder, read and walked on first use. */
    private static final class Source {
        private final ModelFolder folder;
        private final Path file;
        private Walked walked;

        /** The published model, its graph's index, its layers and the settings from config.json. */
        record Walked(ModelProto model, GraphIndex index, DecoderStructure structure, DecoderSettings settings) {
        }

        Source(ModelFolder folder, Path file) {
            this.folder = folder;
            this.file = file;
        }

        Path file() {
            return file;
        }

        /** Whether the fused graph in {@code fused} (this decoder's) has 4-bit layers (MatMulNBits or tiled). */
        boolean hasBlockQuantizedLayers(Path fused) throws IOException {
            if (walked != null) {
                DecoderStructure structure = walked.structure();
                return structure.lmHead().blockQuantized() || structure.layers().get(0).query().blockQuantized();
            }
            return OnnxModelFile.read(fused).getGraph().getNodeList().stream().anyMatch(node -> Projection.isBlockQuantized(node)
                    || FusedDecoderGraph.runsOnGlanceKernels(node));
        }

        Walked walked() throws FusionRefused, IOException {
            if (walked != null) {
                return walked;
            }
            DecoderSettings settings = DecoderSettings.read(folder);
            ModelProto model = OnnxModelFile.read(file);
            GraphIndex index = new GraphIndex(model.getGraph(), file.toAbsolutePath().getParent());
            for (ValueInfoProto input : model.getGraph().getInputList()) {
                if (input.getName().startsWith("past_key_values.")
                        && input.getType().getTensorType().getElemType() != TensorProto.DataType.FLOAT_VALUE) {
                    throw new FusionRefused("its cache is not float32");
                }
            }
            DecoderStructure structure = DecoderStructure.read(index, settings.layers(), settings.hidden());
            long queryWidth = structure.layers().get(0).query().outputs(index);
            if (queryWidth != (long) settings.heads() * settings.headDim()) {
                throw new FusionRefused("its query is " + queryWidth + " wide, not heads × head_dim");
            }
            walked = new Walked(model, index, structure, settings);
            return walked;
        }
    }
}
