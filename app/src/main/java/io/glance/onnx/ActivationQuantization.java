package io.glance.onnx;

import io.glance.model.Precision;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * Whether an ONNX graph quantizes its activations at run time (DynamicQuantizeLinear, MatMulInteger,
 * ConvInteger, DynamicQuantizeMatMul, MatMulIntegerToFloat): such a graph computes one scale per activation
 * tensor, so its output for one row depends on the other rows run with it, and splitting a run changes the
 * numbers. Weight-only quantization (MatMulNBits of q4, fp32, fp16) has no such coupling.
 *
 * <p>ONNX Runtime's Java API lists no nodes, so this reads the operator types straight from the .onnx file's
 * protobuf wire format (ModelProto.graph, GraphProto.node, NodeProto.op_type, and the sub-graphs of If/Loop
 * attributes), seeking over everything else, weights included: a few milliseconds for a file of hundreds of
 * megabytes. Stateless; any thread.
 */
final class ActivationQuantization {
    /** Operators that quantize an activation tensor with a scale computed from its values. */
    static final Set<String> DYNAMIC_OPERATORS = Set.of("DynamicQuantizeLinear", "MatMulInteger", "ConvInteger",
            "DynamicQuantizeMatMul", "MatMulIntegerToFloat", "DynamicQuantizeLSTM");

    private static final int WIRE_VARINT = 0;
    private static final int WIRE_FIXED64 = 1;
    private static final int WIRE_LENGTH = 2;
    private static final int WIRE_FIXED32 = 5;
    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_NODE = 1;
    private static final int NODE_OP_TYPE = 4;
    private static final int NODE_ATTRIBUTE = 5;
    private static final int ATTRIBUTE_GRAPH = 6;
    private static final int ATTRIBUTE_GRAPHS = 11;

    private ActivationQuantization() {
    }

    /**
     * True when the graph in {@code onnxFile} quantizes activations dynamically. A file that cannot be read as
     * ONNX falls back on the precision its name declares: the published {@code _int8}, {@code _uint8} and
     * {@code _quantized} exports are dynamic quantizations (ONNX Runtime's quantize_dynamic), the others are not.
     */
    static boolean isDynamic(Path onnxFile, Precision declared) {
        try {
            Set<String> found = operatorTypes(onnxFile);
            found.retainAll(DYNAMIC_OPERATORS);
            return !found.isEmpty();
        } catch (IOException | RuntimeException e) {
            return declared == Precision.INT8 || declared == Precision.UINT8 || declared == Precision.Q8;
        }
    }

    /** The operator types of every node of the model's graph and of its sub-graphs. */
    static Set<String> operatorTypes(Path onnxFile) throws IOException {
        try (FileChannel channel = FileChannel.open(onnxFile, StandardOpenOption.READ)) {
            WireReader reader = new WireReader(channel);
            Set<String> types = new HashSet<>();
            readFields(reader, channel.size(), (field, length) -> field == MODEL_GRAPH && readGraph(reader, length, types));
            return types;
        }
    }

    private static boolean readGraph(WireReader reader, long length, Set<String> types) throws IOException {
        readFields(reader, reader.position() + length, (field, nodeLength) -> field == GRAPH_NODE
                && readNode(reader, nodeLength, types));
        return true;
    }

    private static boolean readNode(WireReader reader, long length, Set<String> types) throws IOException {
        readFields(reader, reader.position() + length, (field, valueLength) -> {
            if (field == NODE_OP_TYPE) {
                types.add(reader.string((int) valueLength));
                return true;
            }
            return field == NODE_ATTRIBUTE && readAttribute(reader, valueLength, types);
        });
        return true;
    }

    private static boolean readAttribute(WireReader reader, long length, Set<String> types) throws IOException {
        readFields(reader, reader.position() + length, (field, graphLength) ->
                (field == ATTRIBUTE_GRAPH || field == ATTRIBUTE_GRAPHS) && readGraph(reader, graphLength, types));
        return true;
    }

    /**
     * Reads the fields of one message up to byte {@code end}: each length-delimited field goes to {@code reader}
     * with its length, and is skipped when it returns false; other fields are skipped.
     */
    private static void readFields(WireReader in, long end, FieldReader reader) throws IOException {
        while (in.position() < end) {
            long key = in.varint();
            if (wireOf(key) != WIRE_LENGTH) {
                in.skip(wireOf(key));
                continue;
            }
            long length = in.varint();
            long next = in.position() + length;
            if (!reader.read(fieldOf(key), length)) {
                in.seek(next);
            }
        }
    }

    /** Reads one length-delimited field whose bytes follow; false leaves them unread. */
    @FunctionalInterface
    private interface FieldReader {
        boolean read(int field, long length) throws IOException;
    }

    private static int fieldOf(long key) {
        return (int) (key >>> 3);
    }

    private static int wireOf(long key) {
        return (int) (key & 7);
    }

    /** Reads protobuf wire values from a file through a small window; skipping a field moves the window. */
    private static final class WireReader {
        private final FileChannel channel;
        private final ByteBuffer window = ByteBuffer.allocate(1 << 16);
        private long windowStart;

        WireReader(FileChannel channel) {
            this.channel = channel;
            window.limit(0);
        }

        long position() {
            return windowStart + window.position();
        }

        long varint() throws IOException {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = nextByte();
                value |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new IOException("malformed varint at byte " + position());
        }

        String string(int length) throws IOException {
            byte[] bytes = new byte[length];
            for (int i = 0; i < length; i++) {
                bytes[i] = (byte) nextByte();
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }

        void skip(int wireType) throws IOException {
            switch (wireType) {
                case WIRE_VARINT -> varint();
                case WIRE_FIXED64 -> seek(position() + 8);
                case WIRE_LENGTH -> {
                    long length = varint();
                    seek(position() + length);
                }
                case WIRE_FIXED32 -> seek(position() + 4);
                default -> throw new IOException("unsupported protobuf wire type " + wireType + " at byte " + position());
            }
        }

        void seek(long target) throws IOException {
            if (target > channel.size()) {
                throw new EOFException("a field runs past the end of the file");
            }
            if (target >= windowStart && target <= windowStart + window.limit()) {
                window.position((int) (target - windowStart));
            } else {
                windowStart = target;
                window.clear().limit(0);
            }
        }

        private int nextByte() throws IOException {
            if (!window.hasRemaining()) {
                windowStart += window.limit();
                window.clear();
                if (channel.read(window, windowStart) <= 0) {
                    throw new EOFException("unexpected end of the file");
                }
                window.flip();
            }
            return window.get() & 0xff;
        }
    }
}
