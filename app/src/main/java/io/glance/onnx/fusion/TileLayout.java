package io.glance.onnx.fusion;

import com.google.protobuf.ByteString;
import io.glance.onnx.proto.Onnx.TensorProto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Glance's tile layout of a 4-bit linear layer, the one {@code io.glance.MatMulQ4Tiles} reads (see
 * {@code native/kernels/q4_tiles.h}), made from MatMulNBits' symmetric 4-bit blocks: outputs in tiles of 16; for
 * each tile and each block of 32 inputs, 4 groups of 16 little-endian words, word j of group g holding output
 * 16t + j's values for inputs 8g … 8g + 7 of the block (MatMulNBits' bytes of those inputs, read as one word);
 * scales as [tiles][blocks of 32][16]. Outputs past N in the last tile get zero weights and scales. Stateless.
 */
final class TileLayout {
    static final int TILE = 16;
    static final int BLOCK = 32;
    private static final int WORD_INPUTS = 8;

    private TileLayout() {
    }

    /** Tiles of {@code outputs} outputs. */
    static long tiles(long outputs) {
        return (outputs + TILE - 1) / TILE;
    }

    /**
     * Why a MatMulNBits layer of {@code inputs} × {@code outputs}, {@code bits}-bit blocks of {@code blockSize},
     * cannot be laid out in tiles, or {@code null} when it can.
     */
    static String unsupported(long inputs, long bits, long blockSize, boolean zeroPoints, int scaleType) {
        if (bits != 4) {
            return bits + "-bit weights";
        }
        if (zeroPoints) {
            return "zero points";
        }
        if (blockSize % BLOCK != 0 || inputs % blockSize != 0) {
            return "blocks of " + blockSize + " over " + inputs + " inputs";
        }
        if (scaleType != TensorProto.DataType.FLOAT_VALUE) {
            return "scales that are not float32";
        }
        return null;
    }

    /** The weights: MatMulNBits' [outputs, inputs / 2] bytes (inputs in order, two to a byte, low half first) in tiles. */
    static ByteString weights(ByteString published, long inputs, long outputs, boolean gated) {
        int wordsPerOutput = (int) (inputs / WORD_INPUTS);
        return inTiles(published, outputs, gated, wordsPerOutput, (output, word) -> output * wordsPerOutput + word);
    }

    /** The scales: MatMulNBits' [outputs, inputs / blockSize] floats, one per block of 32 inputs, in tiles. */
    static ByteString scales(ByteString published, long inputs, long outputs, long blockSize, boolean gated) {
        long publishedBlocks = inputs / blockSize;
        return inTiles(published, outputs, gated, (int) (inputs / BLOCK),
                (output, block) -> output * publishedBlocks + block * BLOCK / blockSize);
    }

    /**
     * Whether a layer of {@code outputs} outputs, gate then up, can be laid out gated: gate and up tiles taking
     * turns, so that one operator gives SiLU(gate) · up (each half a whole number of tiles).
     */
    static boolean gatable(long outputs) {
        return outputs % (2 * TILE) == 0;
    }

    /** Where an output's {@code i}-th 4-byte element of a tile row lies among the published elements. */
    @FunctionalInterface
    private interface PublishedIndex {
        long of(long output, long i);
    }

    /**
     * 4-byte elements, {@code perOutput} of each output, regrouped as [tiles][perOutput][16 outputs]; outputs past
     * {@code outputs} are zero. Gated, tile 2p holds outputs 16p … (gate) and tile 2p + 1 outputs outputs / 2 + 16p …
     * (up).
     */
    private static ByteString inTiles(ByteString published, long outputs, boolean gated, int perOutput,
                                      PublishedIndex index) {
        int tiles = (int) tiles(outputs);
        ByteBuffer source = published.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer tiled = ByteBuffer.allocate(tiles * perOutput * TILE * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int tile = 0; tile < tiles; tile++) {
            long first = gated ? (tile % 2) * (outputs / 2) + (long) (tile / 2) * TILE : (long) tile * TILE;
            for (int i = 0; i < perOutput; i++) {
                for (int lane = 0; lane < TILE; lane++) {
                    long output = first + lane;
                    tiled.putInt(output < outputs ? source.getInt((int) (index.of(output, i) * Integer.BYTES)) : 0);
                }
            }
        }
        return ByteString.copyFrom(tiled.flip());
    }
}
