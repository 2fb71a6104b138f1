package io.glance.prompt;

/**
 * One piece of a prompt before tokenization. The template and the image expansion speak in {@link Marker}s,
 * which become the model's control ids; everything a person or the model wrote is {@link Text}, encoded as
 * ordinary text, so that a typed {@code <image>} or {@code <|im_end|>} never becomes a control token. Images
 * wait as {@link ImageSlot}s until a family's expander replaces them with its tokens. Immutable.
 */
public sealed interface PromptPiece permits PromptPiece.Marker, PromptPiece.Text, PromptPiece.ImageSlot {

    /**
     * A special token of the vocabulary, by its string, {@code repeat} times in a row.
     *
     * @param token  a string that is exactly one added token of the tokenizer, such as {@code <end_of_utterance>}
     * @param repeat how many times it stands in a row (at least 1)
     */
    record Marker(String token, int repeat) implements PromptPiece {
        public Marker {
            if (repeat < 1) {
                throw new IllegalArgumentException("a marker stands at least once, not " + repeat + " times");
            }
        }

        /** The marker once. */
        public static Marker of(String token) {
            return new Marker(token, 1);
        }
    }

    /** Ordinary text, encoded without looking for special tokens in it. */
    record Text(String text) implements PromptPiece {
    }

    /** Where the next image of the conversation goes; a family's expander replaces it with that image's tokens. */
    record ImageSlot() implements PromptPiece {
    }
}
