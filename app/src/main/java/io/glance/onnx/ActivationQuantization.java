package io.glance.onnx;

import io.glance.model.Precision;

import io.glance.onnx.fusion.OnnxModelFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * Whether an ONNX graph quantizes its activations at run time (DynamicQuantizeLinear, MatMulInteger,
 * ConvInteger, DynamicQuantizeMatMul, MatMulIntegerToFloat): such a graph computes one scale per activation
 * tensor, so its output for one row depends on the other rows run with it, and splitting a run changes the
 * numbers. Weight-only quantization (MatMulNBits of q4, fp32, fp16) has no such coupling.
 *
 * <p>ONNX Runtime's Java API lists no nodes, so this reads the operator types from the .onnx file itself
 * ({@link OnnxModelFile}, which leaves the weights in the file's mapping). Stateless; any thread.
 */
final class ActivationQuantization {
    /** Operators that quantize an activation tensor with a scale computed from its values. */
    static final Set<String> DYNAMIC_OPERATORS = Set.of("DynamicQuantizeLinear", "MatMulInteger", "ConvInteger",
            "DynamicQuantizeMatMul", "MatMulIntegerToFloat", "DynamicQuantizeLSTM");

    private ActivationQuantization() {
    }

    /**
     * True when the graph in {@code onnxFile} quantizes activations dynamically. A file that cannot be read as
     * ONNX falls back on the precision its name declares: the published {@code _int8}, {@code _uint8} and
     * {@code _quantized} exports are dynamic quantizations (ONNX Runtime's quantize_dynamic), the others are not.
     */
    static boolean isDynamic(Path onnxFile, Precision declared) {
        try {
            Set<String> found = operatorTypes(onnxFile);
            found.retainAll(DYNAMIC_OPERATORS);
            return !found.isEmpty();
        } catch (IOException | RuntimeException e) {
            return declared == Precision.INT8 || declared == Precision.UINT8 || declared == Precision.Q8;
        }
    }

    /** The operator types of every node of the model's graph and of its sub-graphs. */
    static Set<String> operatorTypes(Path onnxFile) throws IOException {
        return OnnxModelFile.operatorTypes(onnxFile);
    }
}
