package io.glance.onnx.fusion;

import com.google.protobuf.ByteString;
import io.glance.onnx.proto.Onnx.GraphProto;
import io.glance.onnx.proto.Onnx.NodeProto;
import io.glance.onnx.proto.Onnx.StringStringEntryProto;
import io.glance.onnx.proto.Onnx.TensorProto;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A read-only view of one graph for walking it by data flow: who produces and who consumes each value, and the
 * initializers (and {@code Constant} nodes) by name, with their contents as little-endian bytes wherever the
 * file keeps them (raw, typed fields, or an external data file beside the model). Not thread-safe.
 */
final class GraphIndex {
    private final GraphProto graph;
    private final Path modelDir;
    private final Map<String, NodeProto> producers = new HashMap<>();
    private final Map<String, List<NodeProto>> consumers = new HashMap<>();
    private final Map<String, TensorProto> constants = new HashMap<>();

    GraphIndex(GraphProto graph, Path modelDir) {
        this.graph = graph;
        this.modelDir = modelDir;
        for (TensorProto initializer : graph.getInitializerList()) {
            constants.put(initializer.getName(), initializer);
        }
        for (NodeProto node : graph.getNodeList()) {
            for (String output : node.getOutputList()) {
                producers.put(output, node);
            }
            for (String input : node.getInputList()) {
                if (!input.isEmpty()) {
                    consumers.computeIfAbsent(input, name -> new ArrayList<>()).add(node);
                }
            }
            if (node.getOpType().equals("Constant") && node.getDomain().isEmpty() && node.getAttributeCount() == 1
                    && node.getAttribute(0).getName().equals("value")) {
                constants.put(node.getOutput(0), node.getAttribute(0).getT());
            }
        }
    }

    GraphProto graph() {
        return graph;
    }

    /** The node that produces {@code value}, or {@code null} for graph inputs and initializers. */
    NodeProto producer(String value) {
        return producers.get(value);
    }

    /** The nodes that read {@code value}. */
    List<NodeProto> consumers(String value) {
        return consumers.getOrDefault(value, List.of());
    }

    /** The initializer or constant called {@code value}, or {@code null}. */
    TensorProto constant(String value) {
        return constants.get(value);
    }

    /** The tensor's contents, little-endian, as ONNX lays them out (row-major). */
    ByteString bytes(TensorProto tensor) throws FusionRefused {
        if (tensor.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            return externalBytes(tensor);
        }
        if (tensor.hasRawData()) {
            return tensor.getRawData();
        }
        if (tensor.getDataType() == TensorProto.DataType.FLOAT_VALUE) {
            ByteBuffer buffer = ByteBuffer.allocate(tensor.getFloatDataCount() * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            tensor.getFloatDataList().forEach(buffer::putFloat);
            return ByteString.copyFrom(buffer.flip());
        }
        if (tensor.getDataType() == TensorProto.DataType.UINT8_VALUE) {
            ByteBuffer buffer = ByteBuffer.allocate(tensor.getInt32DataCount());
            tensor.getInt32DataList().forEach(value -> buffer.put(value.byteValue()));
            return ByteString.copyFrom(buffer.flip());
        }
        throw new FusionRefused("the tensor " + tensor.getName() + " keeps its data in a form the rewrite does not read");
    }

    private ByteString externalBytes(TensorProto tensor) throws FusionRefused {
        String location = null;
        long offset = 0;
        long length = -1;
        for (StringStringEntryProto entry : tensor.getExternalDataList()) {
            switch (entry.getKey()) {
                case "location" -> location = entry.getValue();
                case "offset" -> offset = Long.parseLong(entry.getValue());
                case "length" -> length = Long.parseLong(entry.getValue());
                default -> { }
            }
        }
        if (location == null || length < 0 || length > Integer.MAX_VALUE) {
            throw new FusionRefused("the external data of " + tensor.getName() + " has no location or length");
        }
        Path file = modelDir.resolve(location).normalize();
        if (!file.startsWith(modelDir)) {
            throw new FusionRefused("the external data of " + tensor.getName() + " lies outside the model folder");
        }
        try (RandomAccessFile data = new RandomAccessFile(file.toFile(), "r")) {
            byte[] bytes = new byte[(int) length];
            data.seek(offset);
            data.readFully(bytes);
            return ByteString.copyFrom(bytes);
        } catch (IOException e) {
            throw new FusionRefused("cannot read the external data of " + tensor.getName() + ": " + e.getMessage());
        }
    }
}
