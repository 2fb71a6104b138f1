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
    /** Prompt tokens per decoder run during prefill; bounds the logits buffer and allows prompt cancels. */
    static final int PREFILL_CHUNK = 128;

    private final ModelFolder folder;
    private final PrecisionSet precisions;
    private final OrtEnvironment env;
    private final SessionSet sessions;
    private final TokenEmbedder embedder;
    private final boolean pixelsHalf;
    private final FrameFeatureCache lastFrame = new FrameFeatureCache();

    private OnnxVisionLanguageModel(ModelFolder folder, PrecisionSet precisions, OrtEnvironment env,
                                    SessionSet sessions, TokenEmbedder embedder) throws OrtException {
        this.folder = folder;
        this.precisions = precisions;
        this.env = env;
        this.sessions = sessions;
        this.embedder = embedder;
        this.pixelsHalf = elementType(GraphKind.VISION_ENCODER, "pixel_values", true) == OnnxJavaType.FLOAT16;
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
        Path embedFile = folder.graphFiles(precisions).get(GraphKind.EMBED_TOKENS);
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
            return new OnnxVisionLanguageModel(folder, precisions, env, sessions, embedder);
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

    /** {@inheritDoc} The same pixels as the last call give the last call's features without running the encoder. */
    @Override
    public ImageFeatures encodeImages(PixelBatch pixels, Cancellation cancel) throws GenerationException {
        byte[] key = lastFrame.keyOf(pixels.pixels(), pixels.count(), pixels.tile());
        ImageFeatures cached = lastFrame.get(key);
        if (cached != null) {
            return cached;
        }
        ImageFeatures encoded = runEncoder(pixels, cancel);
        lastFrame.put(key, encoded);
        return encoded;
    }

    private ImageFeatures runEncoder(PixelBatch pixels, Cancellation cancel) throws GenerationException {
        int tile = pixels.tile();
        long[] shape = {1, pixels.count(), 3, tile, tile};
        ByteBuffer mask = ByteBuffer.allocateDirect(pixels.count() * tile * tile).order(ByteOrder.nativeOrder());
        while (mask.hasRemaining()) {
            mask.put((byte) 1);
        }
        mask.flip();
        try (OnnxTensor values = pixelsHalf ? halfTensor(pixels.pixels(), shape)
                : OnnxTensor.createTensor(env, pixels.pixels(), shape);
             OnnxTensor maskTensor = OnnxTensor.createTensor(env, mask,
                     new long[] {1, pixels.count(), tile, tile}, OnnxJavaType.BOOL);
             OrtSession.RunOptions runOptions = new OrtSession.RunOptions();
             AutoCloseable hook = cancel.whileRunning(() -> terminate(runOptions));
             OrtSession.Result result = sessions.get(GraphKind.VISION_ENCODER).run(
                     Map.of("pixel_values", values, "pixel_attention_mask", maskTensor), runOptions)) {
            OnnxTensor output = (OnnxTensor) result.get(0);
            float[] data = readFloats(output);
            int width = folder.textShape().hiddenSize();
            int rows = data.length / width;
            int expected = pixels.count() * folder.imageProcessing().imageSeqLen();
            if (rows != expected || data.length % width != 0) {
                throw new GenerationException("the vision encoder returned " + data.length + " values, expected "
                        + expected + " rows of " + width);
            }
            return new ImageFeatures(data, rows, width);
        } catch (OrtException e) {
            throw OnnxDecoderCache.translate(e, cancel, "vision encoder");
        } catch (GenerationException e) {
            throw e;
        } catch (Exception e) {
            throw new GenerationException("vision encoder failed: " + e.getMessage(), e);
        }
    }

    @Override
    public DecoderCache newCache() throws GenerationException {
        try {
            return new OnnxDecoderCache(env, folder, embedder, sessions.get(GraphKind.DECODER), PREFILL_CHUNK);
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
        ByteBuffer bytes = ByteBuffer.allocateDirect(values.remaining() * 2).order(ByteOrder.nativeOrder());
        ShortBuffer halves = bytes.asShortBuffer();
        for (int i = values.position(); i < values.limit(); i++) {
            halves.put(Float16.fromFloat(values.get(i)));
        }
        return OnnxTensor.createTensor(env, bytes, shape, OnnxJavaType.FLOAT16);
    }

    /** The tensor's values as floats, converting float16. */
    static float[] readFloats(OnnxTensor tensor) {
        if (tensor.getInfo().type == OnnxJavaType.FLOAT16) {
            ShortBuffer halves = tensor.getShortBuffer();
            float[] out = new float[halves.remaining()];
            for (int i = 0; i < out.length; i++) {
                out[i] = Float16.toFloat(halves.get(i));
            }
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
