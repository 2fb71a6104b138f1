package io.glance.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.glance.model.GraphKind;
import io.glance.model.InvalidModelException;
import io.glance.model.TextModelShape;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The published input and output names, element types and ranks of each graph, checked against a loaded
 * session so that a wrong file fails at load time with one message naming the file and every mismatch.
 * Stateless; safe on any thread.
 */
final class GraphContract {
    private static final Set<OnnxJavaType> FLOATS = Set.of(OnnxJavaType.FLOAT, OnnxJavaType.FLOAT16);

    private GraphContract() {
    }

    /**
     * @throws InvalidModelException listing what is missing or of the wrong type
     */
    static void check(GraphKind graph, Path file, OrtSession session, TextModelShape shape)
            throws InvalidModelException {
        Map<String, Expectation> inputs = new LinkedHashMap<>();
        Map<String, Expectation> outputs = new LinkedHashMap<>();
        switch (graph) {
            case VISION_ENCODER -> {
                inputs.put("pixel_values", new Expectation(FLOATS, 5));
                inputs.put("pixel_attention_mask", new Expectation(Set.of(OnnxJavaType.BOOL), 4));
                outputs.put("image_features", new Expectation(FLOATS, -1));
            }
            case EMBED_TOKENS -> {
                inputs.put("input_ids", new Expectation(Set.of(OnnxJavaType.INT64), 2));
                outputs.put("inputs_embeds", new Expectation(FLOATS, 3));
            }
            case DECODER -> {
                inputs.put("inputs_embeds", new Expectation(FLOATS, 3));
                inputs.put("attention_mask", new Expectation(Set.of(OnnxJavaType.INT64), 2));
                inputs.put("position_ids", new Expectation(Set.of(OnnxJavaType.INT64), 2));
                outputs.put("logits", new Expectation(FLOATS, 3));
                for (int i = 0; i < shape.layers(); i++) {
                    for (String kind : List.of("key", "value")) {
                        inputs.put("past_key_values." + i + "." + kind, new Expectation(FLOATS, 4));
                        outputs.put("present." + i + "." + kind, new Expectation(FLOATS, 4));
                    }
                }
            }
            default -> throw new IllegalStateException(graph.toString());
        }
        List<String> problems = new ArrayList<>();
        try {
            compare("input", inputs, session.getInputInfo(), problems);
            compare("output", outputs, session.getOutputInfo(), problems);
        } catch (OrtException e) {
            throw new InvalidModelException("cannot read the inputs and outputs of " + file + ": " + e.getMessage(), e);
        }
        if (!problems.isEmpty()) {
            throw new InvalidModelException(file + " is not a SmolVLM " + graph.fileStem() + " graph: "
                    + String.join("; ", problems));
        }
    }

    private static void compare(String what, Map<String, Expectation> expected, Map<String, NodeInfo> actual,
                                List<String> problems) {
        expected.forEach((name, expectation) -> {
            NodeInfo node = actual.get(name);
            if (node == null) {
                problems.add("missing " + what + " '" + name + "'");
                return;
            }
            if (!(node.getInfo() instanceof TensorInfo info)) {
                problems.add(what + " '" + name + "' is not a tensor");
                return;
            }
            if (!expectation.types().contains(info.type)) {
                problems.add(what + " '" + name + "' is " + info.type + ", expected " + expectation.types());
            }
            if (expectation.rank() > 0 && info.getShape().length != expectation.rank()) {
                problems.add(what + " '" + name + "' has rank " + info.getShape().length
                        + ", expected " + expectation.rank());
            }
        });
    }

    private record Expectation(Set<OnnxJavaType> types, int rank) {
    }
}
