package io.glance.onnx.fusion;

import io.glance.onnx.proto.Onnx.AttributeProto;
import io.glance.onnx.proto.Onnx.NodeProto;
import io.glance.onnx.proto.Onnx.TensorProto;

/**
 * One linear layer of the published decoder: a float32 {@code MatMul} by a [K, N] initializer, or a
 * {@code com.microsoft} {@code MatMulNBits} (4-bit blocks of a [N, blocks, blob] initializer with per-block scales
 * and optional zero points), optionally followed by an {@code Add} of a length-N bias. Immutable.
 *
 * @param node   the MatMul or MatMulNBits node
 * @param bias   the bias, or {@code null}
 * @param output the value the layer's result goes on in (after the bias)
 */
record Projection(NodeProto node, TensorProto bias, String output) {
    /** Whether {@code node} is a linear layer the rewrite can take: its weights are initializers. */
    static boolean isLinear(NodeProto node, GraphIndex graph) {
        if (node.getOpType().equals("MatMul") && node.getDomain().isEmpty()) {
            TensorProto weight = graph.constant(node.getInput(1));
            return weight != null && weight.getDimsCount() == 2 && weight.getDataType() == TensorProto.DataType.FLOAT_VALUE;
        }
        return isBlockQuantized(node) && graph.constant(node.getInput(1)) != null && graph.constant(node.getInput(2)) != null;
    }

    static boolean isBlockQuantized(NodeProto node) {
        return node.getOpType().equals("MatMulNBits") && node.getDomain().equals("com.microsoft");
    }

    /** Whether a MatMulNBits {@code node} has zero points (its optional fourth input). */
    static boolean hasZeroPoints(NodeProto node) {
        return node.getInputCount() > 3 && !node.getInput(3).isEmpty();
    }

    /** The layer that starts at {@code node}, with the bias {@code Add} that follows it, if any. */
    static Projection of(NodeProto node, GraphIndex graph) {
        String output = node.getOutput(0);
        var readers = graph.consumers(output);
        if (readers.size() == 1 && readers.get(0).getOpType().equals("Add")) {
            NodeProto add = readers.get(0);
            String other = add.getInput(0).equals(output) ? add.getInput(1) : add.getInput(0);
            TensorProto bias = graph.constant(other);
            if (bias != null && bias.getDimsCount() == 1 && bias.getDims(0) == outputs(node, graph)) {
                return new Projection(node, bias, add.getOutput(0));
            }
        }
        return new Projection(node, null, output);
    }

    boolean blockQuantized() {
        return isBlockQuantized(node);
    }

    /** N: the width of the result. */
    long outputs(GraphIndex graph) {
        return outputs(node, graph);
    }

    private static long outputs(NodeProto node, GraphIndex graph) {
        if (isBlockQuantized(node)) {
            return intAttribute(node, "N", -1);
        }
        return graph.constant(node.getInput(1)).getDims(1);
    }

    /** The integer attribute {@code name} of {@code node}, or {@code fallback}. */
    static long intAttribute(NodeProto node, String name, long fallback) {
        for (AttributeProto attribute : node.getAttributeList()) {
            if (attribute.getName().equals(name)) {
                return attribute.getI();
            }
        }
        return fallback;
    }
}
