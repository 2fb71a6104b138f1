package io.glance.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.glance.generation.DirectBuffers;

import java.nio.ByteBuffer;
import java.util.Map;

/**
 * The KV cache of a fused decoder, kept in place: per layer one key and one value buffer of [1, kv heads, capacity,
 * head dim] float32, fed as {@code past_key_values.*} and pinned as {@code present.*} in the same run. ONNX Runtime's
 * GroupQueryAttention sees the same memory on both sides and writes only the new rows (its share-buffer mode); the
 * valid length comes from the attention mask. A step then copies no past and allocates no cache, where a growing
 * {@code present} costs a copy of the whole cache per step. The capacity grows by half (at least to what a run
 * needs, and to the answer's expected end where that is near, in steps of {@link #ROUND}); growing copies the rows
 * in use once. Owns native memory: close it. Confined to
 * one inference thread.
 */
final class SharedKvBuffers implements AutoCloseable {
    /** Capacities are multiples of this many positions. */
    static final int ROUND = 64;

    private final OrtEnvironment env;
    private final String[] pastNames;
    private final String[] presentNames;
    private final int kvHeads;
    private final int headDim;
    private final ByteBuffer[] memory;
    private final OnnxTensor[] tensors;
    private int capacity;
    private int generation;

    /**
     * @param pastNames    the decoder's past inputs, key and value of each layer in turn
     * @param presentNames its present outputs, in the same order
     */
    SharedKvBuffers(OrtEnvironment env, String[] pastNames, String[] presentNames, int kvHeads, int headDim) {
        if (pastNames.length != presentNames.length) {
            throw new IllegalArgumentException(
                    pastNames.length + " past inputs against " + presentNames.length + " present outputs");
        }
        this.env = env;
        this.pastNames = pastNames.clone();
        this.presentNames = presentNames.clone();
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.memory = new ByteBuffer[pastNames.length];
        this.tensors = new OnnxTensor[pastNames.length];
    }

    /**
     * Makes room for {@code total} positions, keeping the first {@code used} (the cache's current length) where the
     * buffers have to grow. Growing takes room for {@code expected} positions too (the length the conversation may
     * reach by the end of the answer) where that is at most half as much again as {@code total}: after a long
     * prompt, an answer up to half its length then never grows the buffers, which would copy every row in use into
     * fresh memory (about 0.25 s at 1150 positions of SmolVLM-256M on two cores).
     */
    void ensureCapacity(int total, int expected, int used) throws OrtException {
        if (total <= capacity) {
            return;
        }
        int grown = Math.max(Math.max(total, capacity + capacity / 2), Math.min(expected, total + total / 2));
        int next = (grown + ROUND - 1) / ROUND * ROUND;
        long bytes = (long) kvHeads * next * headDim * Float.BYTES;
        ByteBuffer[] nextMemory = new ByteBuffer[memory.length];
        OnnxTensor[] nextTensors = new OnnxTensor[tensors.length];
        try {
            for (int i = 0; i < tensors.length; i++) {
                nextMemory[i] = DirectBuffers.allocate(bytes);
                if (memory[i] != null) {
                    copyHeadRows(memory[i], capacity, nextMemory[i], next, kvHeads, used, headDim * Float.BYTES);
                }
                nextTensors[i] = OnnxTensor.createTensor(env, nextMemory[i].asFloatBuffer(),
                        new long[] {1, kvHeads, next, headDim});
            }
        } catch (OrtException | RuntimeException e) {
            release(nextTensors, nextMemory);
            throw e;
        }
        release(tensors, memory);
        System.arraycopy(nextMemory, 0, memory, 0, memory.length);
        System.arraycopy(nextTensors, 0, tensors, 0, tensors.length);
        capacity = next;
        generation++;
    }

    /**
     * Counts the times the buffers were replaced: a map filled by {@link #addPast} or {@link #addPresent} holds the
     * current tensors while this is unchanged.
     */
    int generation() {
        return generation;
    }

    /**
     * Copies each head's first {@code rows} positions of a [heads, sourceRows, row] buffer into the same places of a
     * [heads, targetRows, row] buffer; neither buffer's position moves.
     */
    static void copyHeadRows(ByteBuffer source, int sourceRows, ByteBuffer target, int targetRows, int heads,
                             int rows, int rowBytes) {
        for (int h = 0; h < heads; h++) {
            ByteBuffer from = source.duplicate();
            from.position(h * sourceRows * rowBytes).limit(h * sourceRows * rowBytes + rows * rowBytes);
            ByteBuffer to = target.duplicate();
            to.position(h * targetRows * rowBytes);
            to.put(from);
        }
    }

    /** The buffers as the decoder's past inputs, added to {@code inputs}. */
    void addPast(Map<String, OnnxTensor> inputs) {
        for (int i = 0; i < tensors.length; i++) {
            inputs.put(pastNames[i], tensors[i]);
        }
    }

    /** The same buffers as the decoder's pinned present outputs, added to {@code outputs}. */
    void addPresent(Map<String, OnnxTensor> outputs) {
        for (int i = 0; i < tensors.length; i++) {
            outputs.put(presentNames[i], tensors[i]);
        }
    }

    private static void release(OnnxTensor[] tensors, ByteBuffer[] memory) {
        for (int i = 0; i < tensors.length; i++) {
            if (tensors[i] != null) {
                tensors[i].close();
                tensors[i] = null;
            }
            if (memory[i] != null) {
                DirectBuffers.free(memory[i]);
                memory[i] = null;
            }
        }
    }

    @Override
    public void close() {
        release(tensors, memory);
        capacity = 0;
        generation++;
    }
}
