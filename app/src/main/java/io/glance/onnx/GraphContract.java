package io.glance.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.glance.model.GraphSpec;
import io.glance.model.InvalidModelException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a loaded session against its family's {@link GraphSpec}, so that a wrong file fails at load time with
 * one message naming the file and every mismatch, and resolves each input to the name the graph uses.
 * Stateless; safe on any thread.
 */
final class GraphContract {
    private static final Map<GraphSpec.Element, Set<OnnxJavaType>> TYPES = Map.of(
            GraphSpec.Element.FLOATING, Set.of(OnnxJavaType.FLOAT, OnnxJavaType.FLOAT16),
            GraphSpec.Element.INT64, Set.of(OnnxJavaType.INT64),
            GraphSpec.Element.BOOL, Set.of(OnnxJavaType.BOOL));

    private GraphContract() {
    }

    /**
     * @param family the family's name, for the message
     * @return each input's spec name → the name the graph gives it (an alias where the graph uses one)
     * @throws InvalidModelException listing what is missing or of the wrong type
     */
    static Map<String, String> check(GraphSpec spec, Path file, OrtSession session, String family)
            throws InvalidModelException {
        List<String> problems = new ArrayList<>();
        Map<String, String> inputNames = new HashMap<>();
        try {
            compare("input", spec.inputs(), session.getInputInfo(), problems, inputNames);
            compare("output", spec.outputs(), session.getOutputInfo(), problems, new HashMap<>());
        } catch (OrtException e) {
            throw new InvalidModelException("cannot read the inputs and outputs of " + file + ": " + e.getMessage(), e);
        }
        if (!problems.isEmpty()) {
            throw new InvalidModelException(file + " is not a " + family + " " + spec.graph().fileStem() + " graph: "
                    + String.join("; ", problems));
        }
        return Map.copyOf(inputNames);
    }

    private static void compare(String what, List<GraphSpec.TensorSpec> expected, Map<String, NodeInfo> actual,
                                List<String> problems, Map<String, String> resolved) {
        for (GraphSpec.TensorSpec expectation : expected) {
            String name = expectation.names().stream().filter(actual::containsKey).findFirst().orElse(null);
            if (name == null) {
                problems.add("missing " + what + " '" + String.join("' or '", expectation.names()) + "'");
                continue;
            }
            resolved.put(expectation.name(), name);
            if (!(actual.get(name).getInfo() instanceof TensorInfo info)) {
                problems.add(what + " '" + name + "' is not a tensor");
                continue;
            }
            Set<OnnxJavaType> types = TYPES.get(expectation.element());
            if (!types.contains(info.type)) {
                problems.add(what + " '" + name + "' is " + info.type + ", expected " + types);
            }
            if (expectation.rank() > 0 && info.getShape().length != expectation.rank()) {
                problems.add(what + " '" + name + "' has rank " + info.getShape().length
                        + ", expected " + expectation.rank());
            }
        }
    }
}
