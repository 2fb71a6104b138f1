package io.glance.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.util.Map;

/**
 * Embeddings from the {@code embed_tokens} graph run in ONNX Runtime: the general way, for graphs that
 * {@link EmbeddingTable} cannot read (quantized or float16 tables). Does not own the session (the
 * {@link SessionSet} does). Confined to one inference thread.
 */
final class SessionEmbedder implements TokenEmbedder {
    private final OrtEnvironment env;
    private final OrtSession session;

    SessionEmbedder(OrtEnvironment env, OrtSession session) {
        this.env = env;
        this.session = session;
    }

    @Override
    public void embed(int[] ids, int from, int to, ByteBuffer out) throws OrtException {
        int n = to - from;
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            values[i] = ids[from + i];
        }
        try (OnnxTensor idTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(values), new long[] {1, n});
             OrtSession.Result result = OrtShutdownGuard.call(() -> session.run(Map.of("input_ids", idTensor)))) {
            out.duplicate().order(ByteOrder.nativeOrder()).asFloatBuffer().put(OnnxVisionLanguageModel.readFloats((OnnxTensor) result.get(0)));
        }
    }

    @Override
    public void close() {
        // the session belongs to the SessionSet
    }
}
