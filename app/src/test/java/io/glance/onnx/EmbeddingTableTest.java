package io.glance.onnx;

import io.glance.TestModels;
import io.glance.onnx.proto.Onnx.ModelProto;
import io.glance.onnx.proto.Onnx.NodeProto;
import io.glance.onnx.proto.Onnx.TensorProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The float32 embedding graph of the tiny model read as a table: its rows are the initializer's rows as the whole
 * file, parsed by protobuf, holds them; quantized graphs and files that are not ONNX are left to a session.
 */
class EmbeddingTableTest {
    private static final int HIDDEN = 32;

    @TempDir
    Path temp;

    @Test
    void rowsAreTheInitializersRows() throws Exception {
        Path graph = TestModels.tinyRandom().resolve("onnx/embed_tokens.onnx");
        ModelProto model = ModelProto.parseFrom(Files.readAllBytes(graph));
        NodeProto gather = model.getGraph().getNode(0);
        TensorProto table = model.getGraph().getInitializerList().stream()
                .filter(t -> t.getName().equals(gather.getInput(0))).findFirst().orElseThrow();
        FloatBuffer expected = table.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        int rows = (int) table.getDims(0);

        Optional<EmbeddingTable> opened = EmbeddingTable.open(graph, HIDDEN);
        assertTrue(opened.isPresent(), "a plain float32 Gather graph is read as a table");
        int[] ids = {0, 7, rows - 1, 7};
        ByteBuffer out = ByteBuffer.allocateDirect(ids.length * HIDDEN * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        try (EmbeddingTable embeddings = opened.get()) {
            embeddings.embed(ids, 0, ids.length, out);
            assertThrows(IllegalArgumentException.class, () -> embeddings.embed(new int[] {rows}, 0, 1,
                    ByteBuffer.allocateDirect(HIDDEN * Float.BYTES)));
        }
        FloatBuffer actual = out.asFloatBuffer();
        for (int i = 0; i < ids.length; i++) {
            float[] want = new float[HIDDEN];
            float[] got = new float[HIDDEN];
            expected.get(ids[i] * HIDDEN, want);
            actual.get(i * HIDDEN, got);
            assertArrayEquals(want, got, "row of id " + ids[i]);
        }
    }

    @Test
    void otherGraphsAndOtherFilesAreLeftToASession() throws Exception {
        Path onnx = TestModels.tinyRandom().resolve("onnx");
        assertTrue(EmbeddingTable.open(onnx.resolve("embed_tokens_int8.onnx"), HIDDEN).isEmpty(), "quantized table");
        assertTrue(EmbeddingTable.open(onnx.resolve("embed_tokens.onnx"), HIDDEN * 2).isEmpty(), "another width");
        assertTrue(EmbeddingTable.open(onnx.resolve("vision_encoder.onnx"), HIDDEN).isEmpty(), "not a Gather");
        Path text = Files.writeString(temp.resolve("embed_tokens.onnx"), "not a model");
        assertTrue(EmbeddingTable.open(text, HIDDEN).isEmpty());
        assertTrue(EmbeddingTable.open(temp.resolve("missing.onnx"), HIDDEN).isEmpty());
    }
}
