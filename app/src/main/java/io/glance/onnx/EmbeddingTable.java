package io.glance.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.WireFormat;
import io.glance.onnx.fusion.OnnxModelFile;
import io.glance.onnx.proto.Onnx.GraphProto;
import io.glance.onnx.proto.Onnx.NodeProto;
import io.glance.onnx.proto.Onnx.TensorProto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
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
 * the rows are the same bytes the Gather would copy. {@link #open} recognises the graph by streaming its protobuf
 * ({@link OnnxModelFile#readGraphFields}), skipping the table's bytes; anything else (quantized or float16 tables,
 * external data, other nodes) is left to {@link SessionEmbedder}. Owns the open file: close it. Confined to one inference thread.
 */
final class EmbeddingTable implements TokenEmbedder {
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
        try {
            Optional<Located> located = locate(graphFile, hiddenSize);
            if (located.isPresent()) {
                return Optional.of(new EmbeddingTable(FileChannel.open(graphFile, StandardOpenOption.READ),
                        located.get().offset(), located.get().rows(), hiddenSize));
            }
        } catch (IOException | RuntimeException notReadableHere) {
            // the session path gives the real error
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

    /**
     * ModelProto.graph → its one node and the initializer the node gathers from, read with protobuf's
     * {@link CodedInputStream}: the node is parsed into a {@link NodeProto}, each initializer's small fields are read
     * and its {@code raw_data} skipped, its position in the file taken from the bytes read so far.
     */
    private static Optional<Located> locate(Path graphFile, int hiddenSize) throws IOException {
        List<NodeProto> nodes = new ArrayList<>();
        List<TableCandidate> candidates = new ArrayList<>();
        OnnxModelFile.readGraphFields(graphFile, (tag, input) -> {
            if (OnnxModelFile.isMessage(tag, GraphProto.NODE_FIELD_NUMBER)) {
                nodes.add(input.readMessage(NodeProto.parser(), ExtensionRegistryLite.getEmptyRegistry()));
            } else if (OnnxModelFile.isMessage(tag, GraphProto.INITIALIZER_FIELD_NUMBER)) {
                int limit = input.pushLimit(input.readRawVarint32());
                candidates.add(readTensorHeader(input));
                input.popLimit(limit);
            } else {
                return false;
            }
            return true;
        });
        if (nodes.size() != 1) {
            return Optional.empty();
        }
        String tableName = gatheredInitializer(nodes.get(0));
        return candidates.stream()
                .filter(t -> t.name().equals(tableName) && t.dataType() == TensorProto.DataType.FLOAT_VALUE
                        && !t.external() && t.dims().size() == 2 && t.dims().get(1) == hiddenSize
                        && t.dims().get(0) > 0 && t.dims().get(0) <= Integer.MAX_VALUE
                        && t.rawBytes() == t.dims().get(0) * hiddenSize * Float.BYTES)
                .findFirst()
                .map(t -> new Located(t.rawOffset(), (int) (long) t.dims().get(0)));
    }

    /** A float table's facts from one TensorProto, up to the current limit; its raw data is skipped, not read. */
    private record TableCandidate(String name, List<Long> dims, int dataType, boolean external, long rawOffset,
                                  long rawBytes) {
    }

    private static TableCandidate readTensorHeader(CodedInputStream input) throws IOException {
        String name = "";
        List<Long> dims = new ArrayList<>();
        int dataType = TensorProto.DataType.UNDEFINED_VALUE;
        boolean external = false;
        long rawOffset = -1;
        long rawBytes = -1;
        for (int tag = input.readTag(); tag != 0; tag = input.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case TensorProto.DIMS_FIELD_NUMBER -> {
                    if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                        int limit = input.pushLimit(input.readRawVarint32());
                        while (input.getBytesUntilLimit() > 0) {
                            dims.add(input.readInt64());
                        }
                        input.popLimit(limit);
                    } else {
                        dims.add(input.readInt64());
                    }
                }
                case TensorProto.DATA_TYPE_FIELD_NUMBER -> dataType = input.readInt32();
                case TensorProto.NAME_FIELD_NUMBER -> name = input.readString();
                case TensorProto.DATA_LOCATION_FIELD_NUMBER ->
                        external = input.readEnum() == TensorProto.DataLocation.EXTERNAL_VALUE;
                case TensorProto.RAW_DATA_FIELD_NUMBER -> {
                    rawBytes = input.readRawVarint32() & 0xFFFFFFFFL;
                    rawOffset = input.getTotalBytesRead();
                    input.skipRawBytes((int) rawBytes);
                }
                default -> input.skipField(tag);
            }
        }
        return new TableCandidate(name, dims, dataType, external, rawOffset, rawBytes);
    }

    /** The data input's name when the node is {@code Gather(table, input_ids) -> inputs_embeds} on axis 0, else "". */
    private static String gatheredInitializer(NodeProto node) {
        boolean axisZero = node.getAttributeList().stream()
                .allMatch(a -> a.getName().equals("axis") && a.getI() == 0);
        boolean plainGather = node.getOpType().equals("Gather")
                && (node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx"))
                && axisZero && node.getInputCount() == 2 && node.getInput(1).equals("input_ids")
                && node.getOutputList().equals(List.of("inputs_embeds"));
        return plainGather ? node.getInput(0) : "";
    }
}
