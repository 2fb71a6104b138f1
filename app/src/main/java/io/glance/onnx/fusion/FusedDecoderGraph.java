package io.glance.onnx.fusion;

import com.google.protobuf.ByteString;
import io.glance.onnx.proto.Onnx.AttributeProto;
import io.glance.onnx.proto.Onnx.GraphProto;
import io.glance.onnx.proto.Onnx.ModelProto;
import io.glance.onnx.proto.Onnx.NodeProto;
import io.glance.onnx.proto.Onnx.OperatorSetIdProto;
import io.glance.onnx.proto.Onnx.TensorProto;
import io.glance.onnx.proto.Onnx.TensorShapeProto;
import io.glance.onnx.proto.Onnx.ValueInfoProto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the fused decoder of a {@link DecoderStructure}: per layer a SkipSimplifiedLayerNormalization (which also
 * gives the residual sum), one linear layer for Q, K and V together, GroupQueryAttention (the cache in the published
 * [batch, kv heads, length, head dim] layout, no repeated KV heads; with Glance's kernels their
 * {@value #ATTENTION_OPERATOR} in its place), O, a second norm, one linear layer for gate and
 * up together, SiLU, down; then the final norm and the output layer, for the last position only (the engine reads no
 * other: a long prompt's prefill skips a vocabulary-wide product per position), so {@code logits} is [batch, 1,
 * vocab]. The graph has the published inputs and outputs otherwise; GroupQueryAttention's sequence lengths come
 * from {@code attention_mask} (all ones, as the engine feeds it). The plain rotary embedding is GroupQueryAttention's
 * own, from cos/sin tables, at positions continuing from the cache's length ({@code position_ids} is then read by no
 * node); M-RoPE's angles are computed from {@code position_ids}' three rows, and applied to Q and K before
 * GroupQueryAttention or by {@value #ATTENTION_OPERATOR} from a table of the run's rows. Not thread-safe; one use.
 */
final class FusedDecoderGraph {
    /** The ONNX opset the fused graph needs at least (ReduceSum and Split take their axes and sizes as inputs). */
    private static final long MIN_OPSET = 17;
    private static final String MS = "com.microsoft";
    /** The domain of the operators in Glance's native kernel library ({@code native/kernels}). */
    static final String GLANCE_DOMAIN = "io.glance";
    /** Glance's 4-bit linear layer over weights in {@link TileLayout}. */
    static final String TILE_OPERATOR = "MatMulQ4Tiles";
    /**
     * Glance's attention over the in-place cache, GroupQueryAttention's inputs and outputs with a packed QKV and its
     * rotary tables ({@code native/kernels/cached_attention_op.c}).
     */
    static final String ATTENTION_OPERATOR = "CachedAttention";

    private final GraphIndex published;
    private final DecoderSettings settings;
    private final long accuracyLevel;
    private final boolean tileKernel;
    private final boolean glanceAttention;
    private final List<NodeProto> nodes = new ArrayList<>();
    private final List<TensorProto> initializers = new ArrayList<>();

    private FusedDecoderGraph(GraphIndex published, DecoderSettings settings, long accuracyLevel, boolean glanceKernels) {
        this.published = published;
        this.settings = settings;
        this.accuracyLevel = accuracyLevel;
        this.tileKernel = glanceKernels && accuracyLevel < 0;
        this.glanceAttention = glanceKernels && settings.headDim() % 16 == 0 && settings.headDim() <= 256;
    }

    /**
     * The fused model of {@code structure}, read from {@code published}.
     *
     * @param accuracyLevel MatMulNBits' {@code accuracy_level} for the 4-bit layers: -1 keeps the published one,
     *                      4 computes them with int8 activations
     * @param glanceKernels whether the graph may use Glance's operators: the 4-bit layers that {@link TileLayout}
     *                      takes run on {@value #TILE_OPERATOR} (same arithmetic; only with the published accuracy
     *                      level), and attention with a head size that is a multiple of 16 (up to 256) on
     *                      {@value #ATTENTION_OPERATOR}
     */
    static ModelProto build(ModelProto model, GraphIndex published, DecoderStructure structure, DecoderSettings settings,
                            long accuracyLevel, boolean glanceKernels) throws FusionRefused {
        FusedDecoderGraph fused = new FusedDecoderGraph(published, settings, accuracyLevel, glanceKernels);
        GraphProto graph = fused.graph(structure);
        long opset = Math.max(MIN_OPSET, model.getOpsetImportList().stream()
                .filter(id -> id.getDomain().isEmpty()).mapToLong(OperatorSetIdProto::getVersion).max().orElse(0));
        ModelProto.Builder fusedModel = ModelProto.newBuilder()
                .setIrVersion(model.getIrVersion())
                .setProducerName("glance decoder fusion")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(MS).setVersion(1));
        if (graph.getNodeList().stream().anyMatch(FusedDecoderGraph::runsOnGlanceKernels)) {
            fusedModel.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(GLANCE_DOMAIN).setVersion(1));
        }
        return fusedModel.setGraph(graph).build();
    }

    /** Whether {@code node} is one of the operators of Glance's native kernel library. */
    static boolean runsOnGlanceKernels(NodeProto node) {
        return node.getDomain().equals(GLANCE_DOMAIN);
    }

    private GraphProto graph(DecoderStructure structure) throws FusionRefused {
        sequenceLengths();
        boolean multimodalRotary = !settings.mropeSection().isEmpty();
        if (multimodalRotary) {
            multimodalRotaryAngles();
        } else {
            rotaryTables();
        }
        String residual = "inputs_embeds";
        String pending = null;
        for (int i = 0; i < structure.layers().size(); i++) {
            DecoderStructure.Layer layer = structure.layers().get(i);
            String prefix = "layer" + i;
            Normalized attentionInput = pending == null
                    ? firstNorm(residual, layer.inputNorm(), prefix + ".input_norm")
                    : skipNorm(pending, residual, layer.inputNorm(), prefix + ".input_norm");
            linear(attentionInput.output(), List.of(layer.query(), layer.key(), layer.value()), prefix + ".qkv");
            List<String> inputs = new ArrayList<>();
            if (glanceAttention) {
                inputs.add(prefix + ".qkv");
            } else {
                inputs.addAll(multimodalRotary ? rotatedQueryKeyValue(prefix) : List.of(prefix + ".qkv", "", ""));
            }
            inputs.addAll(List.of("past_key_values." + i + ".key", "past_key_values." + i + ".value", "seqlens_k",
                    "total_sequence_length"));
            if (!multimodalRotary) {
                inputs.addAll(List.of("cos_cache", "sin_cache"));
            } else if (glanceAttention) {
                inputs.addAll(List.of("cos_by_row", "sin_by_row"));
            }
            List<String> outputs = List.of(prefix + ".attention", "present." + i + ".key", "present." + i + ".value");
            nodes.add(glanceAttention
                    ? node(GLANCE_DOMAIN, ATTENTION_OPERATOR, prefix + ".attention", inputs, outputs,
                            intAttribute("num_heads", settings.heads()), intAttribute("kv_num_heads", settings.kvHeads()),
                            intAttribute("rows_rotary", multimodalRotary ? 1 : 0))
                    : node(MS, "GroupQueryAttention", prefix + ".attention", inputs, outputs,
                            intAttribute("num_heads", settings.heads()), intAttribute("kv_num_heads", settings.kvHeads()),
                            intAttribute("do_rotary", multimodalRotary ? 0 : 1), intAttribute("rotary_interleaved", 0),
                            floatAttribute("scale", (float) (1.0 / Math.sqrt(settings.headDim())))));
            linear(prefix + ".attention", List.of(layer.out()), prefix + ".o");
            Normalized mlpInput = skipNorm(prefix + ".o", attentionInput.residual(), layer.postNorm(), prefix + ".post_norm");
            List<Projection> gateUp = List.of(layer.gate(), layer.up());
            long intermediate = layer.gate().outputs(published);
            if (onTiles(gateUp) && layer.gate().bias() == null && layer.up().bias() == null
                    && layer.up().outputs(published) == intermediate && TileLayout.gatable(2 * intermediate)) {
                blockQuantizedLinear(mlpInput.output(), gateUp, prefix + ".gated", true);
            } else {
                linear(mlpInput.output(), gateUp, prefix + ".gate_up");
                nodes.add(node("", "Split", prefix + ".split", List.of(prefix + ".gate_up", constant(prefix + ".split_sizes",
                        int64s(intermediate, intermediate))), List.of(prefix + ".gate", prefix + ".up"), intAttribute("axis", -1)));
                nodes.add(node("", "Sigmoid", prefix + ".sigmoid", List.of(prefix + ".gate"), List.of(prefix + ".gate_sigmoid")));
                nodes.add(node("", "Mul", prefix + ".silu", List.of(prefix + ".gate", prefix + ".gate_sigmoid"), List.of(prefix + ".gate_silu")));
                nodes.add(node("", "Mul", prefix + ".gated", List.of(prefix + ".gate_silu", prefix + ".up"), List.of(prefix + ".gated")));
            }
            linear(prefix + ".gated", List.of(layer.down()), prefix + ".down");
            residual = mlpInput.residual();
            pending = prefix + ".down";
        }
        Normalized last = skipNorm(pending, residual, structure.finalNorm(), "final_norm");
        nodes.add(node("", "Slice", "final_norm.last", List.of(last.output(), constant("minus_one", int64s(-1)),
                constant("to_the_end", int64s(Long.MAX_VALUE)), constant("sequence_axis", int64s(1))),
                List.of("final_norm.last")));
        linear("final_norm.last", List.of(structure.lmHead()), "logits");
        List<ValueInfoProto> outputs = new ArrayList<>();
        for (ValueInfoProto output : published.graph().getOutputList()) {
            outputs.add(output.getName().equals("logits") ? lastPositionOnly(output) : output);
        }
        return GraphProto.newBuilder()
                .setName("glance_fused_decoder")
                .addAllNode(nodes)
                .addAllInitializer(initializers)
                .addAllInput(published.graph().getInputList())
                .addAllOutput(outputs)
                .build();
    }

    /** {@code logits} declared [batch, 1, vocab]: the engine reads that shape and feeds a one-row buffer. */
    private static ValueInfoProto lastPositionOnly(ValueInfoProto logits) {
        ValueInfoProto.Builder declared = logits.toBuilder();
        TensorShapeProto.Builder shape = declared.getTypeBuilder().getTensorTypeBuilder().getShapeBuilder();
        if (shape.getDimCount() == 3) {
            shape.setDim(1, TensorShapeProto.Dimension.newBuilder().setDimValue(1));
        }
        return declared.build();
    }

    /** A norm's result and the residual stream's value at that point. */
    private record Normalized(String output, String residual) {
    }

    /** seqlens_k (the cache length after this step, less one) and total_sequence_length, from the mask. */
    private void sequenceLengths() {
        nodes.add(node("", "ReduceSum", "mask_sum", List.of("attention_mask", constant("axis_one", int64s(1))),
                List.of("mask_sum"), intAttribute("keepdims", 0)));
        nodes.add(node("", "Sub", "last_position", List.of("mask_sum", constant("one", int64s(1))), List.of("last_position")));
        nodes.add(node("", "Cast", "seqlens_k", List.of("last_position"), List.of("seqlens_k"),
                intAttribute("to", TensorProto.DataType.INT32_VALUE)));
        nodes.add(node("", "Shape", "mask_shape", List.of("attention_mask"), List.of("mask_width"),
                intAttribute("start", 1), intAttribute("end", 2)));
        nodes.add(node("", "Squeeze", "mask_width_scalar", List.of("mask_width"), List.of("mask_width_scalar")));
        nodes.add(node("", "Cast", "total_sequence_length", List.of("mask_width_scalar"), List.of("total_sequence_length"),
                intAttribute("to", TensorProto.DataType.INT32_VALUE)));
    }

    /** cos and sin of position × inverse frequency, [max positions, head dim / 2], computed in double. */
    private void rotaryTables() {
        int half = settings.headDim() / 2;
        int positions = settings.rotaryPositions();
        ByteBuffer cos = ByteBuffer.allocate(positions * half * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer sin = ByteBuffer.allocate(positions * half * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        double[] inverseFrequencies = inverseFrequencies();
        for (int position = 0; position < positions; position++) {
            for (double inverseFrequency : inverseFrequencies) {
                double angle = position * inverseFrequency;
                cos.putFloat((float) Math.cos(angle));
                sin.putFloat((float) Math.sin(angle));
            }
        }
        initializers.add(tensor("cos_cache", TensorProto.DataType.FLOAT_VALUE, ByteString.copyFrom(cos.flip()), positions, half));
        initializers.add(tensor("sin_cache", TensorProto.DataType.FLOAT_VALUE, ByteString.copyFrom(sin.flip()), positions, half));
    }

    /** The rotary embedding's frequencies, one per pair of a head's dimensions: θ^(−2j / head dim). */
    private double[] inverseFrequencies() {
        double[] frequencies = new double[settings.headDim() / 2];
        for (int j = 0; j < frequencies.length; j++) {
            frequencies[j] = 1.0 / Math.pow(settings.ropeTheta(), 2.0 * j / settings.headDim());
        }
        return frequencies;
    }

    /**
     * M-RoPE's cos and sin for this run's tokens: each frequency's angle takes its position from the row of {@code
     * position_ids} [3, batch, sequence] its section names, as the published graph computes it. For
     * GroupQueryAttention, {@code cos_heads} and {@code sin_heads} of [batch, sequence, 1, head dim], each angle
     * twice, to rotate Q and K with; for {@value #ATTENTION_OPERATOR}, {@code cos_by_row} and {@code sin_by_row} of
     * [sequence, head dim / 2] (batch 1), its table of the run's rows.
     */
    private void multimodalRotaryAngles() {
        int half = settings.headDim() / 2;
        int width = glanceAttention ? half : settings.headDim();
        ByteBuffer inverseFrequencies = ByteBuffer.allocate(half * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (double inverseFrequency : inverseFrequencies()) {
            inverseFrequencies.putFloat((float) inverseFrequency);
        }
        initializers.add(tensor("inverse_frequencies", TensorProto.DataType.FLOAT_VALUE,
                ByteString.copyFrom(inverseFrequencies.flip()), half));
        ByteBuffer select = ByteBuffer.allocate(3 * width * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int row = 0; row < 3; row++) {
            int from = settings.mropeSection().subList(0, row).stream().mapToInt(Integer::intValue).sum();
            int to = from + settings.mropeSection().get(row);
            for (int d = 0; d < width; d++) {
                int frequency = d % half;
                select.putFloat(frequency >= from && frequency < to ? 1f : 0f);
            }
        }
        initializers.add(tensor("section_select", TensorProto.DataType.FLOAT_VALUE, ByteString.copyFrom(select.flip()),
                3, 1, 1, width));
        nodes.add(node("", "Cast", "positions_float", List.of("position_ids"), List.of("positions_float"),
                intAttribute("to", TensorProto.DataType.FLOAT_VALUE)));
        nodes.add(node("", "Unsqueeze", "positions_column", List.of("positions_float", constant("last_axis", int64s(-1))),
                List.of("positions_column")));
        nodes.add(node("", "Mul", "angles_half", List.of("positions_column", "inverse_frequencies"), List.of("angles_half")));
        String angles = "angles_half";
        if (!glanceAttention) {
            nodes.add(node("", "Concat", "angles", List.of("angles_half", "angles_half"), List.of("angles"), intAttribute("axis", -1)));
            angles = "angles";
        }
        for (String function : List.of("Cos", "Sin")) {
            String name = function.toLowerCase(java.util.Locale.ROOT);
            nodes.add(node("", function, name + "_rows", List.of(angles), List.of(name + "_rows")));
            nodes.add(node("", "Mul", name + "_selected", List.of(name + "_rows", "section_select"), List.of(name + "_selected")));
            nodes.add(node("", "ReduceSum", name + "_sum", List.of(name + "_selected", constant(name + "_row_axis", int64s(0))),
                    List.of(name + "_sum"), intAttribute("keepdims", 0)));
            if (glanceAttention) {
                nodes.add(node("", "Reshape", name + "_by_row", List.of(name + "_sum", constant(name + "_table_shape",
                        int64s(-1, half))), List.of(name + "_by_row")));
            } else {
                nodes.add(node("", "Unsqueeze", name, List.of(name + "_sum", constant(name + "_head_axis", int64s(2))),
                        List.of(name + "_heads")));
            }
        }
    }

    /**
     * Q, K and V split from the layer's joint projection, Q and K rotated by M-RoPE's angles ({@code x·cos +
     * rotate_half(x)·sin} per head, as the published graph does): GroupQueryAttention's query, key and value.
     */
    private List<String> rotatedQueryKeyValue(String prefix) {
        long queryWidth = (long) settings.heads() * settings.headDim();
        long keyWidth = (long) settings.kvHeads() * settings.headDim();
        nodes.add(node("", "Split", prefix + ".split_qkv", List.of(prefix + ".qkv",
                        constant(prefix + ".qkv_sizes", int64s(queryWidth, keyWidth, keyWidth))),
                List.of(prefix + ".q", prefix + ".k", prefix + ".v"), intAttribute("axis", -1)));
        return List.of(rotated(prefix + ".q", settings.heads()), rotated(prefix + ".k", settings.kvHeads()), prefix + ".v");
    }

    private String rotated(String input, int heads) {
        int half = settings.headDim() / 2;
        String perHead = input + ".heads";
        nodes.add(node("", "Reshape", perHead, List.of(input, constant(perHead + "_shape", int64s(0, 0, heads,
                settings.headDim()))), List.of(perHead)));
        nodes.add(node("", "Slice", input + ".first_half", List.of(perHead, constant(input + ".zero", int64s(0)),
                constant(input + ".half", int64s(half)), constant(input + ".axis", int64s(-1))), List.of(input + ".first_half")));
        nodes.add(node("", "Slice", input + ".second_half", List.of(perHead, input + ".half",
                constant(input + ".end", int64s(settings.headDim())), input + ".axis"), List.of(input + ".second_half")));
        nodes.add(node("", "Neg", input + ".negated", List.of(input + ".second_half"), List.of(input + ".negated")));
        nodes.add(node("", "Concat", input + ".rotated_half", List.of(input + ".negated", input + ".first_half"),
                List.of(input + ".rotated_half"), intAttribute("axis", -1)));
        nodes.add(node("", "Mul", input + ".times_cos", List.of(perHead, "cos_heads"), List.of(input + ".times_cos")));
        nodes.add(node("", "Mul", input + ".times_sin", List.of(input + ".rotated_half", "sin_heads"), List.of(input + ".times_sin")));
        nodes.add(node("", "Add", input + ".rotated_heads", List.of(input + ".times_cos", input + ".times_sin"),
                List.of(input + ".rotated_heads")));
        nodes.add(node("", "Reshape", input + ".rotated", List.of(input + ".rotated_heads",
                constant(input + ".flat_shape", int64s(0, 0, (long) heads * settings.headDim()))), List.of(input + ".rotated")));
        return input + ".rotated";
    }

    private Normalized firstNorm(String input, TensorProto weight, String name) {
        nodes.add(node("", "SimplifiedLayerNormalization", name, List.of(input, copy(weight, name + ".weight")),
                List.of(name), intAttribute("axis", -1), floatAttribute("epsilon", settings.rmsNormEps()),
                intAttribute("stash_type", 1)));
        return new Normalized(name, input);
    }

    private Normalized skipNorm(String input, String skip, TensorProto weight, String name) {
        nodes.add(node(MS, "SkipSimplifiedLayerNormalization", name, List.of(input, skip, copy(weight, name + ".weight")),
                List.of(name, "", "", name + ".residual"), floatAttribute("epsilon", settings.rmsNormEps())));
        return new Normalized(name, name + ".residual");
    }

    /** One linear layer computing {@code parts} side by side (their results concatenated), into {@code output}. */
    private void linear(String input, List<Projection> parts, String output) throws FusionRefused {
        boolean quantized = parts.get(0).blockQuantized();
        if (parts.stream().anyMatch(part -> part.blockQuantized() != quantized)) {
            throw new FusionRefused(output + " mixes 4-bit and float32 layers");
        }
        boolean biased = parts.get(0).bias() != null;
        if (parts.stream().anyMatch(part -> (part.bias() != null) != biased)) {
            throw new FusionRefused(output + " has a bias on some of its parts only");
        }
        String product = biased ? output + ".unbiased" : output;
        if (quantized) {
            blockQuantizedLinear(input, parts, product, false);
        } else {
            floatLinear(input, parts, product);
        }
        if (biased) {
            List<ByteString> biases = new ArrayList<>();
            long width = 0;
            for (Projection part : parts) {
                biases.add(published.bytes(part.bias()));
                width += part.bias().getDims(0);
            }
            initializers.add(tensor(output + ".bias", TensorProto.DataType.FLOAT_VALUE, ByteString.copyFrom(biases), width));
            nodes.add(node("", "Add", output + ".add_bias", List.of(product, output + ".bias"), List.of(output)));
        }
    }

    private void floatLinear(String input, List<Projection> parts, String output) throws FusionRefused {
        long rows = published.constant(parts.get(0).node().getInput(1)).getDims(0);
        List<ByteString> weights = new ArrayList<>();
        long columns = 0;
        for (Projection part : parts) {
            TensorProto weight = published.constant(part.node().getInput(1));
            if (weight.getDims(0) != rows) {
                throw new FusionRefused(output + "'s parts read inputs of different widths");
            }
            weights.add(published.bytes(weight));
            columns += weight.getDims(1);
        }
        ByteString joined = weights.size() == 1 ? weights.get(0) : sideBySide(weights, parts, rows);
        initializers.add(tensor(output + ".weight", TensorProto.DataType.FLOAT_VALUE, joined, rows, columns));
        nodes.add(node("", "MatMul", output, List.of(input, output + ".weight"), List.of(output)));
    }

    /** Row-major [rows, Σ columns] from [rows, columns_i] matrices. */
    private ByteString sideBySide(List<ByteString> weights, List<Projection> parts, long rows) {
        int total = weights.stream().mapToInt(ByteString::size).sum();
        byte[] joined = new byte[total];
        int at = 0;
        for (long row = 0; row < rows; row++) {
            for (int i = 0; i < weights.size(); i++) {
                int rowBytes = (int) (published.constant(parts.get(i).node().getInput(1)).getDims(1) * Float.BYTES);
                weights.get(i).copyTo(joined, (int) (row * rowBytes), at, rowBytes);
                at += rowBytes;
            }
        }
        return ByteString.copyFrom(joined);
    }

    /**
     * MatMulNBits keeps B as [N, blocks, blob], scales as [N × blocks] and zero points packed per row, so the
     * parts concatenate along N byte by byte.
     */
    private void blockQuantizedLinear(String input, List<Projection> parts, String output, boolean gated)
            throws FusionRefused {
        NodeProto first = parts.get(0).node();
        boolean zeroPoints = Projection.hasZeroPoints(first);
        long outputs = 0;
        List<ByteString> weights = new ArrayList<>();
        List<ByteString> scales = new ArrayList<>();
        List<ByteString> zeros = new ArrayList<>();
        for (Projection part : parts) {
            NodeProto node = part.node();
            for (String attribute : List.of("K", "bits", "block_size")) {
                if (Projection.intAttribute(node, attribute, -1) != Projection.intAttribute(first, attribute, -1)) {
                    throw new FusionRefused(output + "'s parts differ in " + attribute);
                }
            }
            if (node.getInputCount() > 4 && node.getInputList().subList(4, node.getInputCount()).stream().anyMatch(name -> !name.isEmpty())) {
                throw new FusionRefused(output + " uses MatMulNBits' g_idx or bias inputs");
            }
            if (Projection.hasZeroPoints(node) != zeroPoints) {
                throw new FusionRefused(output + " has zero points on some of its parts only");
            }
            weights.add(published.bytes(published.constant(node.getInput(1))));
            scales.add(published.bytes(published.constant(node.getInput(2))));
            if (zeroPoints) {
                TensorProto zero = published.constant(node.getInput(3));
                if (zero == null) {
                    throw new FusionRefused(output + "'s zero points are not a constant");
                }
                zeros.add(published.bytes(zero));
            }
            outputs += Projection.intAttribute(node, "N", -1);
        }
        TensorProto firstWeight = published.constant(first.getInput(1));
        TensorProto firstScales = published.constant(first.getInput(2));
        if (onTiles(parts)) {
            tiledLinear(input, ByteString.copyFrom(weights), ByteString.copyFrom(scales), Projection.intAttribute(first, "K", -1),
                    outputs, Projection.intAttribute(first, "block_size", -1), gated, output);
            return;
        }
        List<String> inputs = new ArrayList<>(List.of(input,
                concatenated(output + ".weight", firstWeight, ByteString.copyFrom(weights), outputs),
                concatenated(output + ".scales", firstScales, ByteString.copyFrom(scales), outputs)));
        if (zeroPoints) {
            inputs.add(concatenated(output + ".zero_points", published.constant(first.getInput(3)), ByteString.copyFrom(zeros), outputs));
        }
        List<AttributeProto> attributes = new ArrayList<>();
        for (AttributeProto attribute : first.getAttributeList()) {
            if (!attribute.getName().equals("N") && !(attribute.getName().equals("accuracy_level") && accuracyLevel >= 0)) {
                attributes.add(attribute);
            }
        }
        attributes.add(intAttribute("N", outputs));
        if (accuracyLevel >= 0) {
            attributes.add(intAttribute("accuracy_level", accuracyLevel));
        }
        nodes.add(NodeProto.newBuilder().setOpType("MatMulNBits").setDomain(MS).setName(output)
                .addAllInput(inputs).addOutput(output).addAllAttribute(attributes).build());
    }

    /** Whether the 4-bit layer of {@code parts} runs on the tile kernel (their consistency is checked as it is written). */
    private boolean onTiles(List<Projection> parts) {
        if (!tileKernel || !parts.stream().allMatch(Projection::blockQuantized)) {
            return false;
        }
        NodeProto first = parts.get(0).node();
        TensorProto scales = published.constant(first.getInput(2));
        return scales != null && TileLayout.unsupported(Projection.intAttribute(first, "K", -1),
                Projection.intAttribute(first, "bits", 4), Projection.intAttribute(first, "block_size", -1),
                Projection.hasZeroPoints(first), scales.getDataType()) == null;
    }

    /**
     * A {@value #TILE_OPERATOR} node over MatMulNBits' weights and scales of {@code outputs} rows, laid out in tiles;
     * gated, the rows are gate then up and the node gives SiLU(gate) · up.
     */
    private void tiledLinear(String input, ByteString weights, ByteString scales, long inputs, long outputs,
                             long blockSize, boolean gated, String output) {
        ByteString tiledWeights = TileLayout.weights(weights, inputs, outputs, gated);
        initializers.add(tensor(output + ".tiles", TensorProto.DataType.UINT8_VALUE, tiledWeights, tiledWeights.size()));
        ByteString tiledScales = TileLayout.scales(scales, inputs, outputs, blockSize, gated);
        initializers.add(tensor(output + ".tile_scales", TensorProto.DataType.FLOAT_VALUE, tiledScales,
                tiledScales.size() / Float.BYTES));
        nodes.add(node(GLANCE_DOMAIN, TILE_OPERATOR, output, List.of(input, output + ".tiles", output + ".tile_scales"),
                List.of(output), intAttribute("K", inputs), intAttribute("N", outputs), intAttribute("gated", gated ? 1 : 0)));
    }

    /**
     * A tensor shaped like {@code like} holding {@code data}, the parts' tensors one after the other: a 2-D or 3-D
     * one has {@code outputs} rows, a flat one (per-block scales or zero points of all rows) as many elements as
     * {@code data} holds.
     */
    private String concatenated(String name, TensorProto like, ByteString data, long outputs) {
        long[] dims = like.getDimsList().stream().mapToLong(Long::longValue).toArray();
        dims[0] = dims.length == 1 ? data.size() / elementBytes(like.getDataType()) : outputs;
        initializers.add(tensor(name, like.getDataType(), data, dims));
        return name;
    }

    private static int elementBytes(int dataType) {
        return switch (dataType) {
            case TensorProto.DataType.FLOAT_VALUE, TensorProto.DataType.INT32_VALUE -> 4;
            case TensorProto.DataType.FLOAT16_VALUE, TensorProto.DataType.BFLOAT16_VALUE -> 2;
            case TensorProto.DataType.INT64_VALUE -> 8;
            default -> 1;
        };
    }

    private String copy(TensorProto weight, String name) {
        initializers.add(TensorProto.newBuilder(weight).setName(name).build());
        return name;
    }

    private String constant(String name, ByteString int64s) {
        initializers.add(tensor(name, TensorProto.DataType.INT64_VALUE, int64s, int64s.size() / Long.BYTES));
        return name;
    }

    private static ByteString int64s(long... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (long value : values) {
            buffer.putLong(value);
        }
        return ByteString.copyFrom(buffer.flip());
    }

    private static TensorProto tensor(String name, int dataType, ByteString data, long... dims) {
        TensorProto.Builder tensor = TensorProto.newBuilder().setName(name).setDataType(dataType).setRawData(data);
        for (long dim : dims) {
            tensor.addDims(dim);
        }
        return tensor.build();
    }

    private static NodeProto node(String domain, String op, String name, List<String> inputs, List<String> outputs,
                                  AttributeProto... attributes) {
        return NodeProto.newBuilder().setDomain(domain).setOpType(op).setName(name).addAllInput(inputs)
                .addAllOutput(outputs).addAllAttribute(List.of(attributes)).build();
    }

    private static AttributeProto intAttribute(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    private static AttributeProto floatAttribute(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }
}
