package io.glance.onnx;

import ai.onnxruntime.OrtException;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Token ids to input embeddings, the job of the {@code embed_tokens} graph. Two ways:
 * {@link EmbeddingTable} reads the rows of a plain Gather graph straight from its file, and
 * {@link SessionEmbedder} runs the graph in ONNX Runtime for anything else. Both give the same floats.
 * Owns a file or a session: close it. Confined to one inference thread.
 */
interface TokenEmbedder extends AutoCloseable {

    /**
     * Writes the embeddings of {@code ids[from, to)} into {@code out} from byte 0 as native-order float32,
     * one row of {@code hiddenSize} floats per id; {@code out}'s position and limit are left unchanged.
     */
    void embed(int[] ids, int from, int to, ByteBuffer out) throws OrtException, IOException;

    @Override
    void close();
}
