package io.glance.onnx.fusion;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.WireFormat;
import io.glance.onnx.proto.Onnx.AttributeProto;
import io.glance.onnx.proto.Onnx.GraphProto;
import io.glance.onnx.proto.Onnx.ModelProto;
import io.glance.onnx.proto.Onnx.NodeProto;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Reads .onnx files through the ONNX protobuf classes. {@link #read} parses the whole model (its weights into the
 * heap); {@link #operatorTypes} parses only the nodes and seeks over everything else, so listing the operators of a
 * file of hundreds of megabytes reads little more than its nodes; {@link #readGraphFields} streams the graph's
 * fields to a reader of one's own. Stateless; any thread.
 */
public final class OnnxModelFile {
    private static final int BUFFER_BYTES = 1 << 16;

    private OnnxModelFile() {
    }

    /**
     * The model in {@code file}.
     *
     * @throws IOException when the file cannot be read or is not an ONNX model
     */
    public static ModelProto read(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER_BYTES)) {
            CodedInputStream input = CodedInputStream.newInstance(in);
            input.setSizeLimit(Integer.MAX_VALUE);
            ModelProto model = ModelProto.parseFrom(input);
            if (!model.hasGraph()) {
                throw new IOException(file + " holds no ONNX graph");
            }
            return model;
        }
    }

    /**
     * The operator types of every node of the model's graph and of its sub-graphs (If, Loop, Scan bodies), read
     * without the graph's initializers.
     *
     * @throws IOException when the file cannot be read or is not an ONNX model
     */
    public static Set<String> operatorTypes(Path file) throws IOException {
        Set<String> types = new HashSet<>();
        boolean sawGraph = readGraphFields(file, (tag, input) -> {
            if (!isMessage(tag, GraphProto.NODE_FIELD_NUMBER)) {
                return false;
            }
            collect(input.readMessage(NodeProto.parser(), ExtensionRegistryLite.getEmptyRegistry()), types);
            return true;
        });
        if (!sawGraph) {
            throw new IOException(file + " holds no ONNX graph");
        }
        return types;
    }

    /** Reads one field of a GraphProto from the stream, or declines it. */
    @FunctionalInterface
    public interface GraphFieldReader {
        /**
         * Reads the field that {@code tag} starts from {@code input}, whose {@link CodedInputStream#getTotalBytesRead}
         * is the position in the file; returns false, having read nothing, to have the field skipped.
         */
        boolean read(int tag, CodedInputStream input) throws IOException;
    }

    /**
     * Streams the fields of the model's graph in {@code file} to {@code reader}, seeking over the fields it declines
     * and over everything outside the graph, so that a file of hundreds of megabytes is read little further than
     * what the reader wants.
     *
     * @return false when the file holds no graph
     * @throws IOException when the file cannot be read or is not protobuf
     */
    public static boolean readGraphFields(Path file, GraphFieldReader reader) throws IOException {
        boolean sawGraph = false;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER_BYTES)) {
            CodedInputStream input = CodedInputStream.newInstance(in);
            input.setSizeLimit(Integer.MAX_VALUE);
            for (int tag = input.readTag(); tag != 0; tag = input.readTag()) {
                if (!isMessage(tag, ModelProto.GRAPH_FIELD_NUMBER)) {
                    input.skipField(tag);
                    continue;
                }
                int limit = input.pushLimit(input.readRawVarint32());
                for (int field = input.readTag(); field != 0; field = input.readTag()) {
                    if (!reader.read(field, input)) {
                        input.skipField(field);
                    }
                }
                input.popLimit(limit);
                sawGraph = true;
            }
        }
        return sawGraph;
    }

    /** Whether {@code tag} starts the length-delimited field (a message, string or bytes) {@code fieldNumber}. */
    public static boolean isMessage(int tag, int fieldNumber) {
        return WireFormat.getTagFieldNumber(tag) == fieldNumber
                && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
    }

    private static void collect(NodeProto node, Set<String> types) {
        types.add(node.getOpType());
        for (AttributeProto attribute : node.getAttributeList()) {
            if (attribute.hasG()) {
                attribute.getG().getNodeList().forEach(inner -> collect(inner, types));
            }
            attribute.getGraphsList().forEach(graph -> graph.getNodeList().forEach(inner -> collect(inner, types)));
        }
    }
}
