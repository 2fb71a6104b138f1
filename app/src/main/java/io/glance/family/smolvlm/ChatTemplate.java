package io.glance.family.smolvlm;

import io.glance.prompt.ChatMessage;
import io.glance.prompt.RenderedPrompt;

import java.util.List;

/**
 * Renders a conversation the way SmolVLM's {@code chat_template.json} does:
 * {@code <|im_start|>} once, then per turn {@code Role:} (no space when the turn starts with an image,
 * else {@code Role: }), the parts (an image slot for each image), {@code <end_of_utterance>\n}; and
 * {@code Assistant:} at the end when a generation prompt is wanted. The markers are pieces of their own and
 * every turn's text stays ordinary text. Stateless; safe on any thread.
 */
public final class ChatTemplate {
    public static final String IMAGE_MARKER = "<image>";
    public static final String END_OF_UTTERANCE = "<end_of_utterance>";
    private static final String START = "<|im_start|>";

    /**
     * Renders {@code messages}, with an image slot where each image goes.
     *
     * @param addGenerationPrompt append {@code Assistant:} so the model answers next
     */
    public RenderedPrompt render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        RenderedPrompt.Builder out = new RenderedPrompt.Builder().marker(START);
        for (ChatMessage message : messages) {
            boolean startsWithImage = !message.parts().isEmpty() && message.parts().get(0) instanceof ChatMessage.Image;
            out.text(message.role().display() + (startsWithImage ? ":" : ": "));
            for (ChatMessage.Part part : message.parts()) {
                if (part instanceof ChatMessage.Text text) {
                    out.text(text.text());
                } else {
                    out.imageSlot();
                }
            }
            out.marker(END_OF_UTTERANCE).text("\n");
        }
        if (addGenerationPrompt) {
            out.text("Assistant:");
        }
        return out.build();
    }
}
