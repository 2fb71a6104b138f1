package io.glance.model;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a family expects of one of its graphs: the inputs and outputs it feeds and reads, by name, element type
 * and rank, checked against each graph when it loads so that a wrong file fails with one message naming the file
 * and every mismatch. Immutable.
 *
 * @param graph   which graph
 * @param inputs  inputs the family feeds
 * @param outputs outputs the family reads
 */
public record GraphSpec(GraphKind graph, List<TensorSpec> inputs, List<TensorSpec> outputs) {
    public GraphSpec {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /** Element types a spec accepts. */
    public enum Element {
        /** float32 or float16 (converted at the boundary) */
        FLOATING,
        INT64,
        BOOL
    }

    /**
     * One input or output.
     *
     * @param name    the name the family uses
     * @param aliases other names the same tensor has in some exports (e.g. {@code image_grid_thw} for
     *                {@code grid_thw}); the first name present in the graph is the one fed
     * @param element accepted element type
     * @param rank    the rank, or -1 for any
     */
    public record TensorSpec(String name, List<String> aliases, Element element, int rank) {
        public TensorSpec {
            aliases = List.copyOf(aliases);
        }

        public static TensorSpec of(String name, Element element, int rank) {
            return new TensorSpec(name, List.of(), element, rank);
        }

        /** The name first, then the aliases. */
        public List<String> names() {
            return Stream.concat(Stream.of(name), aliases.stream()).toList();
        }
    }

    /** The decoder every family shares: embeddings, mask, positions of {@code positionRank}, the KV cache. */
    public static GraphSpec mergedDecoder(TextModelShape shape, int positionRank) {
        List<TensorSpec> in = new ArrayList<>(List.of(
                TensorSpec.of("inputs_embeds", Element.FLOATING, 3),
                TensorSpec.of("attention_mask", Element.INT64, 2),
                TensorSpec.of("position_ids", Element.INT64, positionRank)));
        List<TensorSpec> out = new ArrayList<>(List.of(TensorSpec.of("logits", Element.FLOATING, 3)));
        for (int i = 0; i < shape.layers(); i++) {
            for (String kind : List.of("key", "value")) {
                in.add(TensorSpec.of("past_key_values." + i + "." + kind, Element.FLOATING, 4));
                out.add(TensorSpec.of("present." + i + "." + kind, Element.FLOATING, 4));
            }
        }
        return new GraphSpec(GraphKind.DECODER, in, out);
    }

    /** The token embedding every family shares. */
    public static GraphSpec embedTokens() {
        return new GraphSpec(GraphKind.EMBED_TOKENS, List.of(TensorSpec.of("input_ids", Element.INT64, 2)),
                List.of(TensorSpec.of("inputs_embeds", Element.FLOATING, 3)));
    }
}
