package io.glance.prompt;

import java.util.ArrayList;
import java.util.List;

/**
 * A prompt as the model will read it, in pieces: control markers, ordinary text and (before expansion) image
 * slots, in order. {@link #toString()} spells it the way the reference's chat template writes it, for people and
 * golden tests; tokenization goes by the pieces ({@link TextTokenizer#encode(RenderedPrompt)}), never by that
 * string. Immutable.
 *
 * @param pieces in prompt order
 */
public record RenderedPrompt(List<PromptPiece> pieces) {
    /** How {@link #toString()} spells an image slot. */
    private static final String IMAGE_SLOT = "<image>";

    public RenderedPrompt {
        pieces = List.copyOf(pieces);
    }

    /** How many image slots are still waiting for their image's tokens. */
    public int imageSlots() {
        return (int) pieces.stream().filter(piece -> piece instanceof PromptPiece.ImageSlot).count();
    }

    /** Collects pieces in order. Not thread-safe. */
    public static final class Builder {
        private final List<PromptPiece> pieces = new ArrayList<>();

        public Builder marker(String token) {
            pieces.add(PromptPiece.Marker.of(token));
            return this;
        }

        public Builder marker(String token, int repeat) {
            pieces.add(new PromptPiece.Marker(token, repeat));
            return this;
        }

        public Builder text(String text) {
            if (!text.isEmpty()) {
                pieces.add(new PromptPiece.Text(text));
            }
            return this;
        }

        public Builder imageSlot() {
            pieces.add(new PromptPiece.ImageSlot());
            return this;
        }

        public Builder add(PromptPiece piece) {
            pieces.add(piece);
            return this;
        }

        public RenderedPrompt build() {
            return new RenderedPrompt(pieces);
        }
    }

    /** The prompt spelled as one string: markers by their text, image slots as {@code <image>}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (PromptPiece piece : pieces) {
            if (piece instanceof PromptPiece.Marker marker) {
                out.append(marker.token().repeat(marker.repeat()));
            } else if (piece instanceof PromptPiece.Text text) {
                out.append(text.text());
            } else {
                out.append(IMAGE_SLOT);
            }
        }
        return out.toString();
    }
}
