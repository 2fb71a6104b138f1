package io.glance.onnx.fusion;

import io.glance.onnx.proto.Onnx.NodeProto;
import io.glance.onnx.proto.Onnx.TensorProto;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The layers of a published Llama-style decoder graph, found by following the data rather than by names (torch
 * exports name their nodes but not their weights; other exporters the other way round): from
 * {@code inputs_embeds}, each layer is an RMS norm, three linear layers reading its result (the two whose results
 * reach {@code present.i.key} and {@code present.i.value} are K and V, the other Q), a linear layer added back
 * onto the residual stream (O), a second RMS norm, two linear layers reading it (the one feeding a
 * {@code Sigmoid} is the gate, SiLU's), and a linear layer added back (down); then the final norm and the linear
 * layer that gives {@code logits}. What does not fit this shape is refused with the reason. Immutable.
 *
 * @param layers     the decoder layers in order
 * @param finalNorm  the final RMS norm's weight
 * @param lmHead     the output layer
 */
record DecoderStructure(List<Layer> layers, TensorProto finalNorm, Projection lmHead) {
    private static final Pattern PRESENT = Pattern.compile("present\\.(\\d+)\\.(key|value)");
    /** Nodes an RMS norm is built of, between the residual stream and the weight's Mul. */
    private static final Set<String> NORM_OPS = Set.of("Pow", "Mul", "ReduceMean", "Add", "Sqrt", "Div", "Reciprocal", "Cast");

    /**
     * One decoder layer.
     *
     * @param inputNorm the RMS norm weight before attention
     * @param query     Q, {@code heads × headDim} wide
     * @param key       K, whose result becomes {@code present.i.key} (after the rotary embedding)
     * @param value     V, whose result becomes {@code present.i.value}
     * @param out       O, added onto the residual stream
     * @param postNorm  the RMS norm weight before the MLP
     * @param gate      the MLP's gate (through SiLU)
     * @param up        the MLP's up projection
     * @param down      the MLP's down projection, added onto the residual stream
     */
    record Layer(TensorProto inputNorm, Projection query, Projection key, Projection value, Projection out,
                 TensorProto postNorm, Projection gate, Projection up, Projection down) {
    }

    /** Walks {@code graph}, which must have {@code layerCount} layers of width {@code hidden}. */
    static DecoderStructure read(GraphIndex graph, int layerCount, int hidden) throws FusionRefused {
        String residual = "inputs_embeds";
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < layerCount; i++) {
            Norm attentionNorm = norm(graph, residual, hidden, "layer " + i + "'s first norm");
            List<Projection> qkv = readers(graph, attentionNorm.output(), 3, "layer " + i + "'s attention");
            Projection query = null;
            Projection key = null;
            Projection value = null;
            for (Projection projection : qkv) {
                String reached = reachedPresent(graph, projection.output());
                if (reached == null) {
                    query = query == null ? projection : refuse("layer " + i + " has two projections that are not K or V");
                } else if (reached.equals("present." + i + ".key")) {
                    key = projection;
                } else if (reached.equals("present." + i + ".value")) {
                    value = projection;
                } else {
                    throw new FusionRefused("layer " + i + "'s projection leads to " + reached);
                }
            }
            if (query == null || key == null || value == null) {
                throw new FusionRefused("layer " + i + "'s Q, K and V are not told apart by the cache outputs");
            }
            Residual afterAttention = residualAdd(graph, residual, "layer " + i + "'s attention output");
            Norm mlpNorm = norm(graph, afterAttention.sum(), hidden, "layer " + i + "'s second norm");
            List<Projection> gateUp = readers(graph, mlpNorm.output(), 2, "layer " + i + "'s MLP");
            boolean firstIsGate = feedsSigmoid(graph, gateUp.get(0));
            if (firstIsGate == feedsSigmoid(graph, gateUp.get(1))) {
                throw new FusionRefused("layer " + i + "'s MLP has no single SiLU gate");
            }
            Projection gate = gateUp.get(firstIsGate ? 0 : 1);
            Projection up = gateUp.get(firstIsGate ? 1 : 0);
            Residual afterMlp = residualAdd(graph, afterAttention.sum(), "layer " + i + "'s MLP output");
            layers.add(new Layer(attentionNorm.weight(), query, key, value, afterAttention.projection(),
                    mlpNorm.weight(), gate, up, afterMlp.projection()));
            residual = afterMlp.sum();
        }
        Norm last = norm(graph, residual, hidden, "the final norm");
        List<Projection> head = readers(graph, last.output(), 1, "the output layer");
        if (!head.get(0).output().equals("logits")) {
            throw new FusionRefused("the output layer does not give logits directly");
        }
        return new DecoderStructure(List.copyOf(layers), last.weight(), head.get(0));
    }

    private static <T> T refuse(String reason) throws FusionRefused {
        throw new FusionRefused(reason);
    }

    /** An RMS norm: its weight and the value its result goes on. */
    private record Norm(TensorProto weight, String output) {
    }

    /** A linear layer added onto the residual stream, and the value of the sum. */
    private record Residual(Projection projection, String sum) {
    }

    /**
     * The RMS norm of {@code input}: the first {@code Mul} by a float [hidden] constant among the small norm
     * operators that follow {@code input}.
     */
    private static Norm norm(GraphIndex graph, String input, int hidden, String what) throws FusionRefused {
        Deque<String> values = new ArrayDeque<>(List.of(input));
        Set<NodeProto> seen = new HashSet<>();
        while (!values.isEmpty() && seen.size() < 16) {
            for (NodeProto node : graph.consumers(values.poll())) {
                if (!NORM_OPS.contains(node.getOpType()) || !node.getDomain().isEmpty() || !seen.add(node)) {
                    continue;
                }
                if (node.getOpType().equals("Mul")) {
                    for (String operand : node.getInputList()) {
                        TensorProto weight = graph.constant(operand);
                        if (weight != null && weight.getDimsCount() == 1 && weight.getDims(0) == hidden
                                && weight.getDataType() == TensorProto.DataType.FLOAT_VALUE) {
                            return new Norm(weight, node.getOutput(0));
                        }
                    }
                }
                values.addAll(node.getOutputList());
            }
        }
        throw new FusionRefused(what + " is not an RMS norm the rewrite knows");
    }

    /** The {@code count} linear layers that read {@code input}, and nothing else but the norm's own nodes. */
    private static List<Projection> readers(GraphIndex graph, String input, int count, String what) throws FusionRefused {
        List<Projection> projections = new ArrayList<>();
        for (NodeProto node : graph.consumers(input)) {
            if (!Projection.isLinear(node, graph)) {
                throw new FusionRefused(what + " reads its input with " + node.getOpType() + ", not a linear layer");
            }
            projections.add(Projection.of(node, graph));
        }
        if (projections.size() != count) {
            throw new FusionRefused(what + " has " + projections.size() + " linear layers, not " + count);
        }
        return projections;
    }

    /** The {@code Add} of a linear layer's result onto {@code residual}. */
    private static Residual residualAdd(GraphIndex graph, String residual, String what) throws FusionRefused {
        for (NodeProto node : graph.consumers(residual)) {
            if (node.getOpType().equals("Add") && node.getDomain().isEmpty()) {
                String other = node.getInput(0).equals(residual) ? node.getInput(1) : node.getInput(0);
                NodeProto producer = graph.producer(other);
                if (producer != null && Projection.isLinear(producer, graph)) {
                    Projection projection = Projection.of(producer, graph);
                    if (projection.output().equals(other)) {
                        return new Residual(projection, node.getOutput(0));
                    }
                }
            }
        }
        throw new FusionRefused(what + " is not a linear layer added onto the residual stream");
    }

    /**
     * The {@code present.i.key/value} output that {@code value} flows into without passing attention's
     * MatMul or Softmax, or {@code null} (Q reaches none).
     */
    private static String reachedPresent(GraphIndex graph, String value) {
        Deque<String> values = new ArrayDeque<>(List.of(value));
        Set<NodeProto> seen = new HashSet<>();
        while (!values.isEmpty() && seen.size() < 64) {
            String next = values.poll();
            Matcher present = PRESENT.matcher(next);
            if (present.matches()) {
                return next;
            }
            for (NodeProto node : graph.consumers(next)) {
                String op = node.getOpType();
                if (!op.equals("MatMul") && !op.equals("Softmax") && !op.equals("MatMulNBits") && seen.add(node)) {
                    values.addAll(node.getOutputList());
                }
            }
        }
        return null;
    }

    private static boolean feedsSigmoid(GraphIndex graph, Projection projection) {
        return graph.consumers(projection.output()).stream().anyMatch(node -> node.getOpType().equals("Sigmoid"));
    }
}
