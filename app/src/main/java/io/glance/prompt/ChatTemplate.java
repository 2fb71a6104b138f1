package io.glance.prompt;

import java.util.List;

/**
 * Renders a conversation the way SmolVLM's {@code chat_template.json} does:
 * {@code <|im_start|>} once, then per turn {@code Role:} (no space when the turn starts with an image,
 * else {@code Role: }), the parts ({@code <image>} for images), {@code <end_of_utterance>\n}; and
 * {@code Assistant:} at the end when a generation prompt is wanted. Stateless; safe on any thread.
 */
public final class ChatTemplate {
    public static final String IMAGE_MARKER = "<image>";
    public static final String END_OF_UTTERANCE = "<end_of_utterance>";
    private static final String START = "<|im_start|>";

    /**
     * Renders {@code messages}; {@code <image>} markers are left unexpanded.
     *
     * @param addGenerationPrompt append {@code Assistant:} so the model answers next
     */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        StringBuilder out = new StringBuilder(START);
        for (ChatMessage message : messages) {
            out.append(message.role().display());
            boolean startsWithImage = !message.parts().isEmpty() && message.parts().get(0) instanceof ChatMessage.Image;
            out.append(startsWithImage ? ":" : ": ");
            for (ChatMessage.Part part : message.parts()) {
                if (part instanceof ChatMessage.Text text) {
                    out.append(text.text());
                } else {
                    out.append(IMAGE_MARKER);
                }
            }
            out.append(END_OF_UTTERANCE).append('\n');
        }
        if (addGenerationPrompt) {
            out.append("Assistant:");
        }
        return out.toString();
    }
}
