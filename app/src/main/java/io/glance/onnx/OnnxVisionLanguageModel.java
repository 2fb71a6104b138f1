package io.glance.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.glance.generation.Cancellation;
import io.glance.generation.DecoderCache;
import io.glance.generation.EncoderInput;
import io.glance.generation.EncoderRun;
import io.glance.generation.FamilyModel;
import io.glance.generation.GenerationException;
import io.glance.generation.ImageFeatures;
import io.glance.generation.VisionLanguageModel;
import io.glance.model.GraphKind;
import io.glance.model.InvalidModelException;
import io.glance.model.ModelFolder;
import io.glance.model.PrecisionSet;
import io.glance.onnx.fusion.DecoderGraph;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A published vision-language export running on ONNX Runtime: the vision encoder, the token embedding and the
 * merged decoder, on the first device of the preference order that loads them, fed as the model's family says.
 * Owns the sessions: close it. All calls from one inference thread.
 */
public final class OnnxVisionLanguageModel implements VisionLanguageModel {
    /**
     * Prompt tokens per decoder run during prefill, for graphs that quantize weights only (there a token's
     * outputs do not depend on how the prompt is split); bounds the logits buffer and allows prompt cancels.
     * A graph that quantizes activations dynamically takes each prompt in one run, as the reference does.
     */
    static final int PREFILL_CHUNK = 128;
    /** The run option that frees the grown part of a device's arena when the run ends. */
    private static final String ARENA_SHRINKAGE = "memory.enable_memory_arena_shrinkage";

    private final ModelFolder folder;
    private final PrecisionSet precisions;
    private final OrtEnvironment env;
    private final SessionSet sessions;
    private final TokenEmbedder embedder;
    /** The vision encoder's file, read for {@link #encodeTogether()} with the first picture. */
    private final Path visionFile;
    /**
     * The encoder runs all pictures of a question at once (its graph quantizes activations dynamically); read with
     * the model when its vision encoder opens with it, else {@code null} until the first picture, which opens it
     * (reading a graph's operators takes 70–130 ms, which a text question need not wait for). Inference thread.
     */
    private Boolean encodeTogether;
    /** The vision encoder's input names and their element types, read from the graph once it is open. */
    private final Map<String, OnnxJavaType> visionInputTypes = new HashMap<>();
    /** The decoder runs a whole prompt at once (its graph quantizes activations dynamically). */
    private final boolean prefillWhole;
    private int encoderRuns;

    private OnnxVisionLanguageModel(FamilyModel family, PrecisionSet precisions, OrtEnvironment env,
                                    SessionSet sessions, TokenEmbedder embedder, Map<GraphKind, Path> graphFiles) {
        this.folder = family.folder();
        this.precisions = precisions;
        this.env = env;
        this.sessions = sessions;
        this.embedder = embedder;
        this.visionFile = graphFiles.get(GraphKind.VISION_ENCODER);
        if (sessions.get(GraphKind.VISION_ENCODER) != null) {
            encodeTogether();
        }
        // the graph that runs: a fused one is a small file of nodes, its weights beside it
        DecoderGraph decoder = sessions.decoderGraph();
        Path decoderFile = decoder != null ? decoder.file() : graphFiles.get(GraphKind.DECODER);
        this.prefillWhole = ActivationQuantization.isDynamic(decoderFile, precisions.of(GraphKind.DECODER));
    }

    /**
     * Loads the graphs of {@code precisions} from {@code folder}. A plain float32 {@code embed_tokens} graph is
     * not given a session: its table is read from the file as needed ({@link EmbeddingTable}).
     *
     * @param vision      whether the vision encoder opens now or with the first picture
     * @param alsoLoading other parts of the model to load while the sessions open (see {@link SessionSet#open})
     * @throws InvalidModelException naming the missing or wrong file
     */
    static OnnxVisionLanguageModel load(FamilyModel family, PrecisionSet precisions, Device device,
                                        CpuThreading threading, VisionEncoderLoading vision,
                                        List<LoaderThread.Claimable<?>> alsoLoading) throws InvalidModelException {
        ModelFolder folder = family.folder();
        OrtEnvironment env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "glance");
        Map<GraphKind, Path> graphFiles = folder.graphFiles(precisions);
        Path embedFile = graphFiles.get(GraphKind.EMBED_TOKENS);
        Optional<EmbeddingTable> table = EmbeddingTable.open(embedFile, folder.textShape().hiddenSize());
        Set<GraphKind> graphs = EnumSet.allOf(GraphKind.class);
        if (table.isPresent()) {
            graphs.remove(GraphKind.EMBED_TOKENS);
        }
        if (vision == VisionEncoderLoading.ON_FIRST_PICTURE) {
            graphs.remove(GraphKind.VISION_ENCODER);
        }
        SessionSet sessions;
        try {
            sessions = SessionSet.open(env, family, precisions, device, threading, graphs, alsoLoading);
        } catch (InvalidModelException | RuntimeException e) {
            table.ifPresent(EmbeddingTable::close);
            throw e;
        }
        TokenEmbedder embedder = table.isPresent() ? table.get()
                : new SessionEmbedder(env, sessions.get(GraphKind.EMBED_TOKENS));
        return new OnnxVisionLanguageModel(family, precisions, env, sessions, embedder, graphFiles);
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
    public ImageFeatures encodeImages(EncoderInput input, Cancellation cancel) throws GenerationException {
        ImageFeatures encoded = runEncoder(input, cancel);
        encoderRuns++;
        return encoded;
    }

    /** How many times the vision encoder ran; for tests. */
    int encoderRuns() {
        return encoderRuns;
    }

    private boolean encodeTogether() {
        if (encodeTogether == null) {
            encodeTogether = ActivationQuantization.isDynamic(visionFile, precisions.of(GraphKind.VISION_ENCODER));
        }
        return encodeTogether;
    }

    /**
     * Runs the encoder and concatenates the features of all its runs. Where the graph quantizes weights only
     * (fp32, fp16, q4: every operator works row by row with constant weights), a tile's features do not depend
     * on the other tiles, so the family's smallest runs are used: the same features as the reference's one batched
     * run (compare-with-transformers-js.sh checks the ids), while one run over n tiles holds n tiles' activations
     * at once. Where it quantizes activations dynamically (int8, uint8, q8: DynamicQuantizeLinear takes one scale
     * per tensor, over everything in the run), features depend on what runs with them, so everything runs in one
     * call, as the reference does.
     *
     * <p>On the CPU the last run hands the arena's grown part back ({@link #ARENA_SHRINKAGE}): the encoder's
     * activations (about 130 MB for one 512-pixel SmolVLM tile, mostly attention scores) would otherwise stay
     * resident while the decoder prefills and answers. The next picture's first run grows the arena again, which
     * costs its page faults (about 0.2 s on two cores).
     */
    private ImageFeatures runEncoder(EncoderInput input, Cancellation cancel) throws GenerationException {
        OrtSession encoder = visionEncoder();
        int width = folder.textShape().hiddenSize();
        float[] data = new float[input.featureRows() * width];
        int row = 0;
        List<EncoderRun> runs = input.runs(encodeTogether());
        for (int r = 0; r < runs.size(); r++) {
            EncoderRun run = runs.get(r);
            if (cancel.isCancelled()) {
                throw new DecoderCache.CancelledException();
            }
            List<OnnxTensor> tensors = new ArrayList<>();
            try (OrtSession.RunOptions runOptions = new OrtSession.RunOptions();
                 AutoCloseable hook = cancel.whileRunning(() -> terminate(runOptions))) {
                if (r == runs.size() - 1 && sessions.device() == Device.CPU) {
                    runOptions.addRunConfigEntry(ARENA_SHRINKAGE, "cpu:0");
                }
                Map<String, OnnxTensor> feed = new HashMap<>();
                for (Map.Entry<String, EncoderRun.Tensor> entry : run.inputs().entrySet()) {
                    String name = sessions.inputName(GraphKind.VISION_ENCODER, entry.getKey());
                    OnnxTensor tensor = tensor(entry.getValue(), visionInputTypes.get(name));
                    tensors.add(tensor);
                    feed.put(name, tensor);
                }
                try (OrtSession.Result result = OrtShutdownGuard.call(() -> encoder.run(feed, runOptions))) {
                    float[] runFeatures = readFloats((OnnxTensor) result.get(0));
                    if (runFeatures.length != run.featureRows() * width || row + run.featureRows() > input.featureRows()) {
                        throw new GenerationException("the vision encoder returned " + runFeatures.length
                                + " values, expected " + run.featureRows() + " rows of " + width);
                    }
                    System.arraycopy(runFeatures, 0, data, row * width, runFeatures.length);
                    row += run.featureRows();
                }
            } catch (OrtException e) {
                throw OnnxDecoderCache.translate(e, cancel, "vision encoder");
            } catch (GenerationException e) {
                throw e;
            } catch (Exception e) {
                throw new GenerationException("vision encoder failed: " + e.getMessage(), e);
            } finally {
                tensors.forEach(OnnxTensor::close);
            }
        }
        CHeap.returnFreePages();
        if (row != input.featureRows()) {
            throw new GenerationException("the vision encoder gave " + row + " feature rows for "
                    + input.featureRows() + " image tokens");
        }
        return new ImageFeatures(data, row, width);
    }

    /** The vision encoder's session, opened now if the model was loaded without it. */
    private OrtSession visionEncoder() throws GenerationException {
        OrtSession encoder;
        try {
            encoder = sessions.getOrOpen(GraphKind.VISION_ENCODER);
            if (visionInputTypes.isEmpty()) {
                for (Map.Entry<String, NodeInfo> input : encoder.getInputInfo().entrySet()) {
                    visionInputTypes.put(input.getKey(), ((TensorInfo) input.getValue().getInfo()).type);
                }
            }
        } catch (InvalidModelException | OrtException e) {
            throw new GenerationException(e.getMessage(), e);
        }
        return encoder;
    }

    /** A run's tensor in the element type the graph declares (float32 values become float16 where it wants). */
    private OnnxTensor tensor(EncoderRun.Tensor input, OnnxJavaType graphType) throws OrtException {
        if (input.values() instanceof FloatBuffer floats) {
            return graphType == OnnxJavaType.FLOAT16
                    ? OnnxTensor.createTensor(env, Float16.encode(floats), input.shape(), OnnxJavaType.FLOAT16)
                    : OnnxTensor.createTensor(env, floats, input.shape());
        }
        if (input.values() instanceof LongBuffer longs) {
            return OnnxTensor.createTensor(env, longs, input.shape());
        }
        if (input.values() instanceof ByteBuffer bytes) {
            return OnnxTensor.createTensor(env, bytes, input.shape(), OnnxJavaType.BOOL);
        }
        throw new IllegalArgumentException("no tensor type for " + input.values().getClass().getSimpleName());
    }

    @Override
    public DecoderCache newCache() throws GenerationException {
        return newCache(sessions.decoderGraph() != null && sessions.decoderGraph().fused());
    }

    /** A cache kept in place ({@link SharedKvBuffers}) or one whose present becomes the next past. */
    DecoderCache newCache(boolean inPlace) throws GenerationException {
        try {
            return new OnnxDecoderCache(env, folder, embedder, sessions.get(GraphKind.DECODER),
                    prefillWhole ? Integer.MAX_VALUE : PREFILL_CHUNK, inPlace);
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

    /**
     * How long opening took, step by step, in milliseconds: {@code <graph file stem>_session} per session (two
     * are created at a time; a vision encoder left for the first picture appears once it opened) and
     * {@code decoder_graph} for finding or building the decoder graph to run.
     */
    public Map<String, Double> loadMillis() {
        return sessions.loadMillis();
    }

    /** The decoder graph that runs: published or fused, and why. */
    public DecoderGraph decoderGraph() {
        return sessions.decoderGraph();
    }

    @Override
    public void close() {
        embedder.close();
        sessions.close();
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
