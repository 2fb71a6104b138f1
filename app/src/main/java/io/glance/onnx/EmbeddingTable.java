package io.glance.onnx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The token embedding of a plain {@code embed_tokens} graph (one {@code Gather} from a float32
 * {@code [vocab, hidden]} initializer, as in the published fp32 and q4 exports), read row by row straight
 * from the ONNX file with positional reads. This skips creating an ONNX Runtime session for the graph
 * (hundreds of milliseconds and a resident copy of the whole table at load) and a native run per token;
 * the rows are the same bytes the Gather would copy. {@link #open} recognises the graph by walking the
 * protobuf wire format just far enough; anything else (quantized or float16 tables, external data, other
 * nodes) is left to {@link SessionEmbedder}. Owns the open file: close it. Confined to one inference thread.
 */
final class EmbeddingTable implements TokenEmbedder {
    private static final int FLOAT32 = 1;
    private static final int EXTERNAL = 1;

    private final FileChannel file;
    private final long dataOffset;
    private final int rows;
    private final int rowBytes;

    private EmbeddingTable(FileChannel file, long dataOffset, int rows, int hiddenSize) {
        this.file = file;
        this.dataOffset = dataOffset;
        this.rows = rows;
        this.rowBytes = hiddenSize * Float.BYTES;
    }

    /**
     * The table of {@code graphFile} when it is a single Gather of a float32 {@code [rows, hiddenSize]}
     * initializer held in the file; empty for any other graph and for files it cannot read or parse (ONNX
     * Runtime then loads the graph and reports what is wrong with it).
     */
    static Optional<EmbeddingTable> open(Path graphFile, int hiddenSize) {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            return Optional.empty();
        }
        FileChannel file = null;
        try {
            file = FileChannel.open(graphFile, StandardOpenOption.READ);
            Optional<Located> located = locate(new Wire(file), hiddenSize);
            if (located.isPresent()) {
                return Optional.of(new EmbeddingTable(file, located.get().offset(), located.get().rows(), hiddenSize));
            }
        } catch (IOException | RuntimeException notReadableHere) {
            // fall through: the session path gives the real error
        }
        if (file != null) {
            closeQuietly(file);
        }
        return Optional.empty();
    }

    @Override
    public void embed(int[] ids, int from, int to, ByteBuffer out) throws IOException {
        for (int i = from; i < to; i++) {
            int id = ids[i];
            if (id < 0 || id >= rows) {
                throw new IllegalArgumentException("token id " + id + " is outside the embedding table of " + rows + " rows");
            }
            ByteBuffer row = out.duplicate();
            row.limit((i - from + 1) * rowBytes).position((i - from) * rowBytes);
            long at = dataOffset + (long) id * rowBytes;
            while (row.hasRemaining()) {
                int read = file.read(row, at);
                if (read < 0) {
                    throw new IOException("the embedding table ends early");
                }
                at += read;
            }
        }
    }

    @Override
    public void close() {
        closeQuietly(file);
    }

    private static void closeQuietly(FileChannel file) {
        try {
            file.close();
        } catch (IOException ignored) {
            // read-only file; nothing to flush
        }
    }

    private record Located(long offset, int rows) {
    }

    /** ModelProto.graph → its one node and the initializer the node gathers from. */
    private static Optional<Located> locate(Wire wire, int hiddenSize) throws IOException {
        Field graph = wire.fields(0, wire.size()).stream().filter(f -> f.number() == 7 && f.isBytes())
                .findFirst().orElse(null);
        if (graph == null) {
            return Optional.empty();
        }
        List<Field> nodes = new ArrayList<>();
        List<Field> initializers = new ArrayList<>();
        for (Field f : wire.fields(graph.start(), graph.end())) {
            if (f.number() == 1 && f.isBytes()) {
                nodes.add(f);
            } else if (f.number() == 5 && f.isBytes()) {
                initializers.add(f);
            }
        }
        if (nodes.size() != 1) {
            return Optional.empty();
        }
        String tableName = gatheredInitializer(wire, nodes.get(0));
        if (tableName == null) {
            return Optional.empty();
        }
        for (Field initializer : initializers) {
            Optional<Located> located = floatMatrix(wire, initializer, tableName, hiddenSize);
            if (located.isPresent()) {
                return located;
            }
        }
        return Optional.empty();
    }

    /** The data input's name when the node is {@code Gather(table, input_ids) -> inputs_embeds} on axis 0. */
    private static String gatheredInitializer(Wire wire, Field node) throws IOException {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        String opType = "";
        String domain = "";
        for (Field f : wire.fields(node.start(), node.end())) {
            switch (f.number()) {
                case 1 -> inputs.add(wire.string(f));
                case 2 -> outputs.add(wire.string(f));
                case 4 -> opType = wire.string(f);
                case 7 -> domain = wire.string(f);
                case 5 -> {
                    if (!isAxisZero(wire, f)) {
                        return null;
                    }
                }
                default -> { }
            }
        }
        boolean plainGather = opType.equals("Gather") && (domain.isEmpty() || domain.equals("ai.onnx"))
                && inputs.size() == 2 && inputs.get(1).equals("input_ids")
                && outputs.equals(List.of("inputs_embeds"));
        return plainGather ? inputs.get(0) : null;
    }

    private static boolean isAxisZero(Wire wire, Field attribute) throws IOException {
        String name = "";
        long value = 0;
        for (Field f : wire.fields(attribute.start(), attribute.end())) {
            if (f.number() == 1) {
                name = wire.string(f);
            } else if (f.number() == 3 && !f.isBytes()) {
                value = f.varint();
            }
        }
        return name.equals("axis") && value == 0;
    }

    /** The raw data of a float32 {@code [rows, hiddenSize]} TensorProto named {@code name} stored in the file. */
    private static Optional<Located> floatMatrix(Wire wire, Field tensor, String name, int hiddenSize)
            throws IOException {
        List<Long> dims = new ArrayList<>();
        long dataType = -1;
        long location = 0;
        String tensorName = null;
        Field raw = null;
        for (Field f : wire.fields(tensor.start(), tensor.end())) {
            switch (f.number()) {
                case 1 -> {
                    if (f.isBytes()) {
                        dims.addAll(wire.packedVarints(f));
                    } else {
                        dims.add(f.varint());
                    }
                }
                case 2 -> dataType = f.varint();
                case 8 -> tensorName = wire.string(f);
                case 9 -> raw = f;
                case 14 -> location = f.varint();
                default -> { }
            }
        }
        if (!name.equals(tensorName) || dataType != FLOAT32 || location == EXTERNAL || raw == null
                || dims.size() != 2 || dims.get(1) != hiddenSize || dims.get(0) <= 0 || dims.get(0) > Integer.MAX_VALUE
                || raw.end() - raw.start() != dims.get(0) * hiddenSize * Float.BYTES) {
            return Optional.empty();
        }
        return Optional.of(new Located(raw.start(), (int) (long) dims.get(0)));
    }

    /**
     * One protobuf field: its number, wire type, and either its varint value or the byte range of its
     * length-delimited value in the file.
     */
    private record Field(int number, int wireType, long varint, long start, long end) {
        boolean isBytes() {
            return wireType == 2;
        }
    }

    /** Protobuf wire-format reading at absolute file positions; reads only headers and the small fields asked for. */
    private static final class Wire {
        private final FileChannel file;
        private final ByteBuffer header = ByteBuffer.allocate(20);

        Wire(FileChannel file) {
            this.file = file;
        }

        long size() throws IOException {
            return file.size();
        }

        /** The fields of the message stored in {@code [start, end)}. */
        List<Field> fields(long start, long end) throws IOException {
            List<Field> fields = new ArrayList<>();
            long at = start;
            while (at < end) {
                header.clear();
                file.read(header, at);
                header.flip();
                long tag = varint(header);
                int wireType = (int) (tag & 7);
                int number = (int) (tag >>> 3);
                Field field = switch (wireType) {
                    case 0 -> {
                        long value = varint(header);
                        yield new Field(number, wireType, value, at, at + header.position());
                    }
                    case 1, 5 -> {
                        long from = at + header.position();
                        yield new Field(number, wireType, 0, from, from + (wireType == 1 ? 8 : 4));
                    }
                    case 2 -> {
                        long length = varint(header);
                        long from = at + header.position();
                        yield new Field(number, wireType, 0, from, from + length);
                    }
                    default -> throw new IllegalArgumentException("unsupported protobuf wire type " + wireType);
                };
                if (field.end() > end || field.end() <= at) {
                    throw new IllegalArgumentException("truncated protobuf message");
                }
                fields.add(field);
                at = field.end();
            }
            return fields;
        }

        String string(Field field) throws IOException {
            return new String(bytes(field).array(), StandardCharsets.UTF_8);
        }

        List<Long> packedVarints(Field field) throws IOException {
            ByteBuffer values = bytes(field);
            List<Long> out = new ArrayList<>();
            while (values.hasRemaining()) {
                out.add(varint(values));
            }
            return out;
        }

        private ByteBuffer bytes(Field field) throws IOException {
            long length = field.end() - field.start();
            if (length > 1 << 20) {
                throw new IllegalArgumentException("unexpectedly long protobuf field");
            }
            ByteBuffer bytes = ByteBuffer.allocate((int) length);
            while (bytes.hasRemaining()) {
                if (file.read(bytes, field.start() + bytes.position()) < 0) {
                    throw new IllegalArgumentException("truncated protobuf message");
                }
            }
            return bytes.flip();
        }

        private static long varint(ByteBuffer in) {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = in.get();
                value |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("malformed protobuf varint");
        }
    }
}
