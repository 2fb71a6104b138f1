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
 * file of hundreds of megabytes reads little more than its nodes. Stateless; any thread.
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
        boolean sawGraph = false;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER_BYTES)) {
            CodedInputStream input = CodedInputStream.newInstance(in);
            input.setSizeLimit(Integer.MAX_VALUE);
            for (int tag = input.readTag(); tag != 0; tag = input.readTag()) {
                if (WireFormat.getTagFieldNumber(tag) == ModelProto.GRAPH_FIELD_NUMBER
                        && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    int limit = input.pushLimit(input.readRawVarint32());
                    readNodes(input, types);
                    input.popLimit(limit);
                    sawGraph = true;
                } else {
                    input.skipField(tag);
                }
            }
        }
        if (!sawGraph) {
            throw new IOException(file + " holds no ONNX graph");
        }
        return types;
    }

    /** Reads a GraphProto's nodes up to the current limit, skipping its other fields (initializers first of all). */
    private static void readNodes(CodedInputStream input, Set<String> types) throws IOException {
        for (int tag = input.readTag(); tag != 0; tag = input.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) == GraphProto.NODE_FIELD_NUMBER
                    && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                collect(input.readMessage(NodeProto.parser(), ExtensionRegistryLite.getEmptyRegistry()), types);
            } else {
                input.skipField(tag);
            }
        }
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
