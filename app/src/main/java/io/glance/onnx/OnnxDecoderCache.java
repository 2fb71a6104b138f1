package io.glance.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.glance.generation.Cancellation;
import io.glance.generation.DecoderCache;
import io.glance.generation.DirectBuffers;
import io.glance.generation.GenerationException;
import io.glance.generation.ImageFeatures;
import io.glance.generation.PositionIds;
import io.glance.model.ModelFolder;
import io.glance.model.TextModelShape;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The KV cache of one conversation over the merged decoder graph. With a fused decoder (GroupQueryAttention,
 * float32 cache) the cache stays in place in {@link SharedKvBuffers}, fed as past and pinned as present, and
 * shortening it only moves its length. Otherwise each run's {@code present.*} tensors become the next run's
 * {@code past_key_values.*} as they are, without copying; the result that owns them stays open until the next run
 * has consumed them. Logits are written by ONNX Runtime straight into a
 * buffer owned here (pinned output) and only the last row is read; token embeddings and image features are
 * assembled in a direct buffer owned here that the decoder reads in place. Prompts run in chunks of
 * {@code chunk} tokens ({@link Integer#MAX_VALUE}: each prompt in one run; the buffers then grow for that run
 * and shrink back after it). Owns native memory: close it. Confined to one inference thread.
 */
final class OnnxDecoderCache implements DecoderCache {
    /** The most rows the run buffers keep between prompts. */
    static final int RESIDENT_ROWS = 128;

    private final OrtEnvironment env;
    private final TokenEmbedder embedder;
    private final OrtSession decoder;
    private final TextModelShape shape;
    private final int imageTokenId;
    private final int chunk;
    private final OnnxJavaType kvType;
    private final OnnxJavaType embedsType;
    private final OnnxJavaType logitsType;
    /** Whether the decoder gives the logits of the last position only ([batch, 1, vocab], as the fused graph does). */
    private final boolean lastRowOnly;
    /** Rows of {@code position_ids}: 1 for {@code [1, n]}, 3 for a multimodal rotary {@code [3, 1, n]}. */
    private final int positionRows;
    private final String[] pastNames;
    private final Set<String> presentNames;
    private final Map<String, OnnxTensor> emptyPast = new HashMap<>();
    /** The in-place cache of a fused decoder; null where each run's present becomes the next run's past. */
    private final SharedKvBuffers shared;
    /**
     * With {@link #shared}: a run's inputs and pinned outputs, kept from run to run so that a step does not put the
     * cache's 2 × layers tensors into fresh maps; refilled when the buffers change ({@link #sharedGeneration}). The
     * entries of one run (embeddings, mask, positions, logits) are replaced before every run.
     */
    private final Map<String, OnnxTensor> sharedInputs = new HashMap<>();
    private final Map<String, OnnxTensor> sharedPinned = new HashMap<>();
    private int sharedGeneration = -1;
    /** How long the conversation may get by the end of the current answer ({@link #expectLength}). */
    private int expectedLength;
    /** Rows the buffers hold between prompts: the chunk, at most {@link #RESIDENT_ROWS}. */
    private final int residentRows;
    private int bufferRows;
    /** (bufferRows, or 1 when {@link #lastRowOnly}, vocab) in the logits' type, native order: the logits of one run. */
    private ByteBuffer logitsBuffer;
    /** (bufferRows, hidden) float32, native order: the embeddings of the tokens of one run. */
    private ByteBuffer embedsBuffer;
    private OnnxTensor stepLogits;

    private int[] tokens = new int[512];
    private int length;
    private Map<String, OnnxTensor> past;
    private AutoCloseable pastOwner;
    /** A run of 1s for the attention mask, and the memory under it. */
    private ByteBuffer onesMemory = onesOf(1024);
    private LongBuffer ones = onesMemory.asLongBuffer();
    private long lastDecoderNanos;

    /**
     * @param inPlace whether the decoder is a fused graph whose GroupQueryAttention can write into its past
     *                (ignored for a cache that is not float32)
     */
    OnnxDecoderCache(OrtEnvironment env, ModelFolder folder, TokenEmbedder embedder, OrtSession decoder, int chunk,
                     boolean inPlace) throws OrtException {
        this.env = env;
        this.embedder = embedder;
        this.decoder = decoder;
        this.shape = folder.textShape();
        this.imageTokenId = folder.imageTokenId();
        this.chunk = chunk;
        Map<String, NodeInfo> inputs = decoder.getInputInfo();
        this.kvType = type(inputs.get("past_key_values.0.key"));
        this.embedsType = type(inputs.get("inputs_embeds"));
        this.logitsType = type(decoder.getOutputInfo().get("logits"));
        long[] logitsShape = ((TensorInfo) decoder.getOutputInfo().get("logits").getInfo()).getShape();
        this.lastRowOnly = logitsShape.length == 3 && logitsShape[1] == 1;
        long[] positionShape = ((TensorInfo) inputs.get("position_ids").getInfo()).getShape();
        this.positionRows = positionShape.length == 3 ? (int) positionShape[0] : 1;
        this.pastNames = new String[2 * shape.layers()];
        this.presentNames = new LinkedHashSet<>();
        for (int i = 0; i < shape.layers(); i++) {
            pastNames[2 * i] = "past_key_values." + i + ".key";
            pastNames[2 * i + 1] = "past_key_values." + i + ".value";
            presentNames.add("present." + i + ".key");
            presentNames.add("present." + i + ".value");
        }
        this.shared = inPlace && kvType == OnnxJavaType.FLOAT ? new SharedKvBuffers(env, pastNames,
                presentNames.toArray(String[]::new), shape.kvHeads(), shape.headDim()) : null;
        if (shared == null) {  // an in-place cache feeds its own buffers from the first run on
            long[] empty = {1, shape.kvHeads(), 0, shape.headDim()};
            for (String name : pastNames) {
                emptyPast.put(name, OnnxTensor.createTensor(env, ByteBuffer.allocateDirect(0), empty, kvType));
            }
        }
        this.past = emptyPast;
        this.residentRows = Math.min(chunk, RESIDENT_ROWS);
        allocateBuffers(residentRows);
    }

    private void allocateBuffers(int rows) throws OrtException {
        int elementBytes = logitsType == OnnxJavaType.FLOAT16 ? 2 : 4;
        logitsBuffer = DirectBuffers.allocate((long) (lastRowOnly ? 1 : rows) * shape.vocabSize() * elementBytes);
        embedsBuffer = DirectBuffers.allocate((long) rows * shape.hiddenSize() * Float.BYTES);
        stepLogits = logitsTensor(1);
        bufferRows = rows;
    }

    private void freeBuffers() {
        stepLogits.close();
        DirectBuffers.free(logitsBuffer);
        DirectBuffers.free(embedsBuffer);
    }

    /** Gives the run buffers exactly {@code rows} rows when they hold a different number. */
    private void resizeBuffers(int rows) throws GenerationException {
        if (rows == bufferRows) {
            return;
        }
        freeBuffers();
        try {
            allocateBuffers(rows);
        } catch (OrtException e) {
            throw new GenerationException("cannot prepare the decoder's buffers: " + e.getMessage(), e);
        }
    }

    @Override
    public int[] tokens() {
        return Arrays.copyOf(tokens, length);
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public long lastDecoderRunNanos() {
        return lastDecoderNanos;
    }

    @Override
    public void expectLength(int positions) {
        expectedLength = positions;
    }

    @Override
    public void append(int[] ids, ImageFeatures features, PositionIds positions, float[] logits, Cancellation cancel)
            throws GenerationException {
        if (positions.length() != ids.length || positions.rows().length != positionRows) {
            throw new IllegalArgumentException("expected " + positionRows + " rows of " + ids.length
                    + " position ids, got " + positions.rows().length + " of " + positions.length());
        }
        lastDecoderNanos = 0;
        int featureRow = 0;
        try {
            if (shared != null) {
                shared.ensureCapacity(length + ids.length, expectedLength, length);
            }
            int from = 0;
            while (from < ids.length) {
                int to = (int) Math.min((long) from + chunk, ids.length);
                resizeBuffers(Math.max(residentRows, to - from));
                featureRow = runChunk(ids, from, to, features, featureRow, positions.slice(from, to), logits,
                        ids.length > 1 ? cancel : null);
                from = to;
            }
        } catch (OrtException e) {
            throw new GenerationException("cannot grow the cache: " + e.getMessage(), e);
        } finally {
            resizeBuffers(residentRows);
        }
        int expectedRows = features == null ? 0 : features.rows();
        if (featureRow != expectedRows) {
            throw new GenerationException("the prompt holds " + featureRow + " image tokens but the images gave "
                    + expectedRows + " feature rows");
        }
    }

    /** Runs ids[from, to) through embedding and decoder; returns the next unused feature row. */
    private int runChunk(int[] ids, int from, int to, ImageFeatures features, int featureRow, PositionIds positions,
                         float[] logits, Cancellation cancel) throws GenerationException {
        int n = to - from;
        List<AutoCloseable> scratch = new ArrayList<>();
        OrtSession.RunOptions runOptions = null;
        try {
            embedder.embed(ids, from, to, embedsBuffer);
            int row = placeImageFeatures(ids, from, to, features, featureRow);
            Map<String, OnnxTensor> inputs = shared != null ? sharedRunMaps() : new HashMap<>(past);
            inputs.put("inputs_embeds", track(scratch, embedsTensor(n)));
            inputs.put("attention_mask", track(scratch, onesTensor(length + n)));
            inputs.put("position_ids", track(scratch, positionTensor(positions)));
            int logitRows = lastRowOnly ? 1 : n;
            OnnxTensor logitsOut = logitRows == 1 ? stepLogits : track(scratch, logitsTensor(logitRows));
            Map<String, OnnxTensor> pinned = shared != null ? sharedPinned : new HashMap<>();
            pinned.put("logits", logitsOut);
            Set<String> outputs = shared != null ? Set.of() : presentNames;
            OrtSession.Result result;
            long decoderStart = System.nanoTime();
            if (cancel == null) {
                result = OrtShutdownGuard.call(() -> decoder.run(inputs, outputs, pinned));
            } else {
                runOptions = new OrtSession.RunOptions();
                OrtSession.RunOptions options = runOptions;
                try (AutoCloseable hook = cancel.whileRunning(() -> OnnxVisionLanguageModel.terminate(options))) {
                    result = OrtShutdownGuard.call(() -> decoder.run(inputs, outputs, pinned, options));
                }
            }
            lastDecoderNanos += System.nanoTime() - decoderStart;
            if (shared != null) {
                result.close();  // holds only the pinned tensors, which it does not own
            } else {
                adoptPresent(result);
            }
            readLastRow(logitRows, logits);
            for (int i = from; i < to; i++) {
                pushToken(ids[i]);
            }
            return row;
        } catch (OrtException e) {
            throw translate(e, cancel, "decoder");
        } catch (GenerationException e) {
            throw e;
        } catch (Exception e) {
            throw new GenerationException("decoder failed: " + e.getMessage(), e);
        } finally {
            for (int i = scratch.size() - 1; i >= 0; i--) {
                closeQuietly(scratch.get(i));
            }
            if (runOptions != null) {
                runOptions.close();
            }
        }
    }

    /** {@link #sharedInputs}, and {@link #sharedPinned} with it, holding the shared buffers' current tensors. */
    private Map<String, OnnxTensor> sharedRunMaps() {
        if (sharedGeneration != shared.generation()) {
            sharedInputs.clear();
            sharedPinned.clear();
            shared.addPast(sharedInputs);
            shared.addPresent(sharedPinned);
            sharedGeneration = shared.generation();
        }
        return sharedInputs;
    }

    /**
     * Overwrites the embeddings of the image tokens among ids[from, to) in {@link #embedsBuffer} with the
     * next rows of {@code features}; returns the next unused row.
     */
    private int placeImageFeatures(int[] ids, int from, int to, ImageFeatures features, int featureRow)
            throws GenerationException {
        int hidden = shape.hiddenSize();
        FloatBuffer embeds = embedsBuffer.asFloatBuffer();
        int row = featureRow;
        for (int i = from; i < to; i++) {
            if (ids[i] == imageTokenId) {
                if (features == null || row >= features.rows()) {
                    throw new GenerationException("the prompt holds more image tokens than the images gave feature rows");
                }
                embeds.put((i - from) * hidden, features.data(), row * hidden, hidden);
                row++;
            }
        }
        return row;
    }

    /** The first {@code n} rows of {@link #embedsBuffer} as the decoder's {@code inputs_embeds}, in its type. */
    private OnnxTensor embedsTensor(int n) throws OrtException {
        long[] dims = {1, n, shape.hiddenSize()};
        ByteBuffer rows = embedsBuffer.duplicate().order(ByteOrder.nativeOrder());
        rows.limit(n * shape.hiddenSize() * Float.BYTES);
        if (embedsType == OnnxJavaType.FLOAT16) {
            return OnnxTensor.createTensor(env, Float16.encode(rows.asFloatBuffer()), dims, OnnxJavaType.FLOAT16);
        }
        return OnnxTensor.createTensor(env, rows.slice().order(ByteOrder.nativeOrder()).asFloatBuffer(), dims);
    }

    /** Makes the run's present tensors the new past; the result stays open until the next run has used them. */
    private void adoptPresent(OrtSession.Result result) {
        Map<String, OnnxTensor> next = new HashMap<>();
        for (int i = 0; i < pastNames.length; i++) {
            String present = (i % 2 == 0 ? "present." + (i / 2) + ".key" : "present." + (i / 2) + ".value");
            OnnxValue value = result.get(present).orElseThrow();
            next.put(pastNames[i], (OnnxTensor) value);
        }
        replacePast(next, result);
    }

    private void replacePast(Map<String, OnnxTensor> next, AutoCloseable owner) {
        AutoCloseable previous = pastOwner;
        past = next;
        pastOwner = owner;
        if (previous != null) {
            closeQuietly(previous);
        }
    }

    private void readLastRow(int n, float[] logits) {
        int vocab = shape.vocabSize();
        int offset = (n - 1) * vocab;
        if (logitsType == OnnxJavaType.FLOAT16) {
            Float16.decode(logitsBuffer.asShortBuffer(), offset, logits, vocab);
        } else {
            logitsBuffer.asFloatBuffer().get(offset, logits, 0, vocab);
        }
    }

    @Override
    public void truncate(int newLength) throws GenerationException {
        if (newLength < 0 || newLength > length) {
            throw new IllegalArgumentException("cannot truncate " + length + " tokens to " + newLength);
        }
        if (newLength == length) {
            return;
        }
        if (shared != null) {
            length = newLength;  // the rows past it are written over by the next run
            return;
        }
        if (newLength == 0) {
            replacePast(emptyPast, null);
            length = 0;
            return;
        }
        Map<String, OnnxTensor> cut = new HashMap<>();
        List<ByteBuffer> copies = new ArrayList<>();
        try {
            for (String name : pastNames) {
                cut.put(name, prefix(past.get(name), newLength, copies));
            }
        } catch (OrtException e) {
            cut.values().forEach(OnnxTensor::close);
            copies.forEach(DirectBuffers::free);
            throw new GenerationException("cannot shorten the cache: " + e.getMessage(), e);
        }
        List<OnnxTensor> owned = List.copyOf(cut.values());
        List<ByteBuffer> memory = List.copyOf(copies);
        replacePast(cut, () -> {
            owned.forEach(OnnxTensor::close);
            memory.forEach(DirectBuffers::free);
        });
        length = newLength;
    }

    /**
     * The first {@code keep} positions of a [1, heads, length, headDim] tensor, as a new tensor over a direct
     * buffer added to {@code copies} (free it once the tensor is closed).
     */
    private OnnxTensor prefix(OnnxTensor tensor, int keep, List<ByteBuffer> copies) throws OrtException {
        int heads = shape.kvHeads();
        int dim = shape.headDim();
        int elementBytes = kvType == OnnxJavaType.FLOAT16 ? 2 : 4;
        ByteBuffer source = tensor.getByteBuffer().order(ByteOrder.nativeOrder());
        ByteBuffer target = DirectBuffers.allocate((long) heads * keep * dim * elementBytes);
        copies.add(target);
        SharedKvBuffers.copyHeadRows(source, length, target, keep, heads, keep, dim * elementBytes);
        return OnnxTensor.createTensor(env, target, new long[] {1, heads, keep, dim}, kvType);
    }

    private void pushToken(int id) {
        if (length == tokens.length) {
            tokens = Arrays.copyOf(tokens, length * 2);
        }
        tokens[length++] = id;
    }

    private OnnxTensor onesTensor(int count) throws OrtException {
        if (ones.capacity() < count) {
            ByteBuffer previous = onesMemory;
            onesMemory = onesOf(Math.max(count, ones.capacity() * 2));
            ones = onesMemory.asLongBuffer();
            DirectBuffers.free(previous);
        }
        LongBuffer view = ones.duplicate();
        view.position(0).limit(count);
        return OnnxTensor.createTensor(env, view.slice(), new long[] {1, count});
    }

    /** {@code [1, n]} for one row of positions, {@code [rows, 1, n]} for several (multimodal rotary). */
    private OnnxTensor positionTensor(PositionIds positions) throws OrtException {
        int n = positions.length();
        LongBuffer values = LongBuffer.allocate(positionRows * n);
        for (long[] row : positions.rows()) {
            values.put(row);
        }
        values.flip();
        long[] dims = positionRows == 1 ? new long[] {1, n} : new long[] {positionRows, 1, n};
        return OnnxTensor.createTensor(env, values, dims);
    }

    private OnnxTensor logitsTensor(int rows) throws OrtException {
        ByteBuffer view = logitsBuffer.duplicate().order(ByteOrder.nativeOrder());
        int elementBytes = logitsType == OnnxJavaType.FLOAT16 ? 2 : 4;
        view.position(0).limit(rows * shape.vocabSize() * elementBytes);
        return OnnxTensor.createTensor(env, view.slice().order(ByteOrder.nativeOrder()),
                new long[] {1, rows, shape.vocabSize()}, logitsType);
    }

    private static ByteBuffer onesOf(int count) {
        ByteBuffer memory = DirectBuffers.allocate((long) count * Long.BYTES);
        LongBuffer longs = memory.asLongBuffer();
        while (longs.hasRemaining()) {
            longs.put(1L);
        }
        return memory;
    }

    private static OnnxJavaType type(NodeInfo info) {
        return ((TensorInfo) info.getInfo()).type;
    }

    private static <T extends AutoCloseable> T track(List<AutoCloseable> scratch, T value) {
        scratch.add(value);
        return value;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // native memory release; nothing to recover
        }
    }

    /** A cancelled run becomes {@link CancelledException}; anything else a {@link GenerationException}. */
    static GenerationException translate(OrtException e, Cancellation cancel, String graph) {
        if (cancel != null && cancel.isCancelled()) {
            return new CancelledException();
        }
        return new GenerationException(graph + " failed: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        if (pastOwner != null) {
            closeQuietly(pastOwner);
            pastOwner = null;
        }
        emptyPast.values().forEach(OnnxTensor::close);
        if (shared != null) {
            shared.close();
        }
        freeBuffers();
        DirectBuffers.free(onesMemory);
        past = Map.of();
        length = 0;
    }
}
