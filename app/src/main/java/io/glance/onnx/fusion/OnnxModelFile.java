package io.glance.onnx.fusion;

import com.google.protobuf.CodedInputStream;
import io.glance.onnx.proto.Onnx.AttributeProto;
import io.glance.onnx.proto.Onnx.GraphProto;
import io.glance.onnx.proto.Onnx.ModelProto;
import io.glance.onnx.proto.Onnx.NodeProto;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * Reads .onnx files through the ONNX protobuf classes. The file is memory-mapped and its tensors' bytes alias the
 * mapping instead of being copied, so reading the structure of a file of hundreds of megabytes touches little more
 * than its nodes. Stateless; any thread.
 */
public final class OnnxModelFile {
    private OnnxModelFile() {
    }

    /**
     * The model in {@code file}.
     *
     * @throws IOException when the file cannot be read or is not an ONNX model
     */
    public static ModelProto read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
            CodedInputStream input = CodedInputStream.newInstance(mapped);
            input.enableAliasing(true);
            input.setSizeLimit(Integer.MAX_VALUE);
            ModelProto model = ModelProto.parseFrom(input);
            if (!model.hasGraph()) {
                throw new IOException(file + " holds no ONNX graph");
            }
            return model;
        }
    }

    /** The operator types of every node of the model's graph and of its sub-graphs (If, Loop, Scan bodies). */
    public static Set<String> operatorTypes(Path file) throws IOException {
        Set<String> types = new HashSet<>();
        collect(read(file).getGraph(), types);
        return types;
    }

    private static void collect(GraphProto graph, Set<String> types) {
        for (NodeProto node : graph.getNodeList()) {
            types.add(node.getOpType());
            for (AttributeProto attribute : node.getAttributeList()) {
                if (attribute.hasG()) {
                    collect(attribute.getG(), types);
                }
                attribute.getGraphsList().forEach(subgraph -> collect(subgraph, types));
            }
        }
    }
}
