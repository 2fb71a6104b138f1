package io.glance.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.glance.generation.Cancellation;
import io.glance.generation.DecoderCache;
import io.glance.generation.GenerationException;
import io.glance.generation.ImageFeatures;
import io.glance.generation.VisionLanguageModel;
import io.glance.model.GraphKind;
import io.glance.model.InvalidModelException;
import io.glance.model.ModelFolder;
import io.glance.model.PrecisionSet;
import io.glance.vision.PixelBatch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A published SmolVLM export running on ONNX Runtime: the vision encoder, the token embedding and the
 * merged decoder, on the first device of the preference order that loads them. Owns the sessions: close
 * it. All calls from one inference thread.
 */
public final class OnnxVisionLanguageModel implements VisionLanguageModel {
    /**
     * Prompt tokens per decoder run during prefill, for graphs that quantize weights only (there a token's
     * outputs do not depend on how the prompt is split); bounds the logits buffer and allows prompt cancels.
     * A graph that quantizes activations dynamically takes each prompt in one run, as the reference does.
     */
    static final int PREFILL_CHUNK = 128;

    private final ModelFolder folder;
    private final PrecisionSet precisions;
    private final OrtEnvironment env;
    private final SessionSet sessions;
    private final TokenEmbedder embedder;
    private final boolean pixelsHalf;
    /** The encoder runs all tiles of a question at once (its graph quantizes activations dynamically). */
    private final boolean encodeTilesTogether;
    /** The decoder runs a whole prompt at once (its graph quantizes activations dynamically). */
    private final boolean prefillWhole;
    private int encoderRuns;

    private OnnxVisionLanguageModel(ModelFolder folder, PrecisionSet precisions, OrtEnvironment env,
                                    SessionSet sessions, TokenEmbedder embedder, Map<GraphKind, Path> graphFiles)
            throws OrtException {
        this.folder = folder;
        this.precisions = precisions;
        this.env = env;
        this.sessions = sessions;
        this.embedder = embedder;
        this.pixelsHalf = elementType(GraphKind.VISION_ENCODER, "pixel_values", true) == OnnxJavaType.FLOAT16;
        this.encodeTilesTogether = ActivationQuantization.isDynamic(graphFiles.get(GraphKind.VISION_ENCODER),
                precisions.of(GraphKind.VISION_ENCODER));
        this.prefillWhole = ActivationQuantization.isDynamic(graphFiles.get(GraphKind.DECODER),
                precisions.of(GraphKind.DECODER));
    }

    /**
     * Loads the graphs of {@code precisions} from {@code folder}. A plain float32 {@code embed_tokens} graph is
     * not given a session: its table is read from the file as needed ({@link EmbeddingTable}).
     *
     * @throws InvalidModelException naming the missing or wrong file
     */
    public static OnnxVisionLanguageModel load(ModelFolder folder, PrecisionSet precisions, Device device,
                                               CpuThreading threading) throws InvalidModelException {
        OrtEnvironment env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "glance");
        Map<GraphKind, Path> graphFiles = folder.graphFiles(precisions);
        Path embedFile = graphFiles.get(GraphKind.EMBED_TOKENS);
        Optional<EmbeddingTable> table = EmbeddingTable.open(embedFile, folder.textShape().hiddenSize());
        Set<GraphKind> graphs = table.isPresent()
                ? EnumSet.of(GraphKind.VISION_ENCODER, GraphKind.DECODER) : EnumSet.allOf(GraphKind.class);
        SessionSet sessions;
        try {
            sessions = SessionSet.open(env, folder, precisions, device, threading, graphs);
        } catch (InvalidModelException | RuntimeException e) {
            table.ifPresent(EmbeddingTable::close);
            throw e;
        }
        TokenEmbedder embedder = table.isPresent() ? table.get()
                : new SessionEmbedder(env, sessions.get(GraphKind.EMBED_TOKENS));
        try {
            return new OnnxVisionLanguageModel(folder, precisions, env, sessions, embedder, graphFiles);
        } catch (OrtException e) {
            embedder.close();
            sessions.close();
            throw new InvalidModelException("cannot inspect the graphs of " + folder.root() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public ModelFolder folder() {
        return folder;
    }

    /** The precision each graph was loaded in. */
    public PrecisionSet precisions() {
        return precisions;
    }

    @Override
    public ImageFeatures encodeImages(PixelBatch pixels, Cancellation cancel) throws GenerationException {
        ImageFeatures encoded = runEncoder(pixels, cancel);
        encoderRuns++;
        return encoded;
    }

    /** How many times the vision encoder ran; for tests. */
    int encoderRuns() {
        return encoderRuns;
    }

    /**
     * Runs the encoder and concatenates the features of all tiles. Where the graph quantizes weights only
     * (fp32, fp16, q4: every operator works row by row with constant weights), a tile's features do not depend
     * on the other tiles, so the tiles run one at a time: the same features as the reference's one batched run
     * (compare-with-transformers-js.sh checks the ids), while one run over n tiles holds n tiles' activations at
     * once. Where it quantizes activations dynamically (int8, uint8, q8: DynamicQuantizeLinear takes one scale
     * per tensor, over all tiles of the run), a tile's features depend on the tiles run with it, so all tiles
     * run in one call, as the reference does.
     */
    private ImageFeatures runEncoder(PixelBatch pixels, Cancellation cancel) throws GenerationException {
        int tile = pixels.tile();
        int width = folder.textShape().hiddenSize();
        int rowsPerTile = folder.imageProcessing().imageSeqLen();
        int tileValues = 3 * tile * tile;
        float[] data = new float[pixels.count() * rowsPerTile * width];
        int tilesPerRun = encodeTilesTogether ? pixels.count() : 1;
        ByteBuffer mask = ByteBuffer.allocateDirect(tilesPerRun * tile * tile).order(ByteOrder.nativeOrder());
        while (mask.hasRemaining()) {
            mask.put((byte) 1);
        }
        mask.flip();
        long[] shape = {1, tilesPerRun, 3, tile, tile};
        for (int i = 0; i < pixels.count(); i += tilesPerRun) {
            if (cancel.isCancelled()) {
                throw new DecoderCache.CancelledException();
            }
            FloatBuffer runPixels = pixels.pixels().duplicate();
            runPixels.position(i * tileValues).limit((i + tilesPerRun) * tileValues);
            runPixels = runPixels.slice();
            try (OnnxTensor values = pixelsHalf ? halfTensor(runPixels, shape)
                    : OnnxTensor.createTensor(env, runPixels, shape);
                 OnnxTensor maskTensor = OnnxTensor.createTensor(env, mask.duplicate(),
                         new long[] {1, tilesPerRun, tile, tile}, OnnxJavaType.BOOL);
                 OrtSession.RunOptions runOptions = new OrtSession.RunOptions();
                 AutoCloseable hook = cancel.whileRunning(() -> terminate(runOptions));
                 OrtSession.Result result = OrtShutdownGuard.call(() -> sessions.get(GraphKind.VISION_ENCODER).run(
                         Map.of("pixel_values", values, "pixel_attention_mask", maskTensor), runOptions))) {
                float[] runFeatures = readFloats((OnnxTensor) result.get(0));
                if (runFeatures.length != tilesPerRun * rowsPerTile * width) {
                    throw new GenerationException("the vision encoder returned " + runFeatures.length + " values for "
                            + tilesPerRun + " tile(s), expected " + rowsPerTile + " rows of " + width + " per tile");
                }
                System.arraycopy(runFeatures, 0, data, i * rowsPerTile * width, runFeatures.length);
            } catch (OrtException e) {
                throw OnnxDecoderCache.translate(e, cancel, "vision encoder");
            } catch (GenerationException e) {
                throw e;
            } catch (Exception e) {
                throw new GenerationException("vision encoder failed: " + e.getMessage(), e);
            }
        }
        return new ImageFeatures(data, pixels.count() * rowsPerTile, width);
    }

    @Override
    public DecoderCache newCache() throws GenerationException {
        try {
            return new OnnxDecoderCache(env, folder, embedder, sessions.get(GraphKind.DECODER),
                    prefillWhole ? Integer.MAX_VALUE : PREFILL_CHUNK);
        } catch (OrtException e) {
            throw new GenerationException("cannot prepare the decoder: " + e.getMessage(), e);
        }
    }

    @Override
    public String provider() {
        return sessions.device().cliName();
    }

    @Override
    public String fallbackReason() {
        return sessions.fallbackReason();
    }

    @Override
    public void close() {
        embedder.close();
        sessions.close();
    }

    private OnnxJavaType elementType(GraphKind graph, String name, boolean input) throws OrtException {
        OrtSession session = sessions.get(graph);
        var info = input ? session.getInputInfo().get(name) : session.getOutputInfo().get(name);
        return ((TensorInfo) info.getInfo()).type;
    }

    private OnnxTensor halfTensor(FloatBuffer values, long[] shape) throws OrtException {
        return OnnxTensor.createTensor(env, Float16.encode(values), shape, OnnxJavaType.FLOAT16);
    }

    /** The tensor's values as floats, converting float16. */
    static float[] readFloats(OnnxTensor tensor) {
        if (tensor.getInfo().type == OnnxJavaType.FLOAT16) {
            ShortBuffer halves = tensor.getShortBuffer();
            float[] out = new float[halves.remaining()];
            Float16.decode(halves, 0, out, out.length);
            return out;
        }
        FloatBuffer floats = tensor.getFloatBuffer();
        float[] out = new float[floats.remaining()];
        floats.get(out);
        return out;
    }

    static void terminate(OrtSession.RunOptions runOptions) {
        try {
            runOptions.setTerminate(true);
        } catch (OrtException ignored) {
            // the run is ending anyway; the cancel flag is checked after it
        }
    }
}
