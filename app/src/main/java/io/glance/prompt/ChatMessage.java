package io.glance.prompt;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One turn of a conversation: a role and its content, a sequence of text and image parts in order.
 * Immutable.
 *
 * @param role  who speaks
 * @param parts text and image placeholders in order; images are supplied separately, in prompt order
 */
public record ChatMessage(Role role, List<Part> parts) {

    /** Who speaks a turn; rendered capitalized by the template ({@code User:}). */
    public enum Role {
        SYSTEM, USER, ASSISTANT;

        /** {@code System}, {@code User}, {@code Assistant}. */
        public String display() {
            String lower = name().toLowerCase(Locale.ROOT);
            return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
        }
    }

    /** A content part: text or an image placeholder. */
    public sealed interface Part permits Text, Image {
    }

    /** Literal text. */
    public record Text(String text) implements Part {
    }

    /** An image; its pixels travel beside the conversation, in the order the placeholders appear. */
    public record Image() implements Part {
    }

    public ChatMessage {
        parts = List.copyOf(parts);
    }

    /** A user turn: {@code images} image parts first, then the question. */
    public static ChatMessage user(int images, String text) {
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < images; i++) {
            parts.add(new Image());
        }
        parts.add(new Text(text));
        return new ChatMessage(Role.USER, parts);
    }

    public static ChatMessage assistant(String text) {
        return new ChatMessage(Role.ASSISTANT, List.of(new Text(text)));
    }

    public static ChatMessage system(String text) {
        return new ChatMessage(Role.SYSTEM, List.of(new Text(text)));
    }

    /** Number of image parts in this turn. */
    public int imageCount() {
        return (int) parts.stream().filter(p -> p instanceof Image).count();
    }
}
