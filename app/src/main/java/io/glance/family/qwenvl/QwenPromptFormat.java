package io.glance.family.qwenvl;

import io.glance.generation.ImageLayout;
import io.glance.generation.PromptFormat;
import io.glance.prompt.ChatMessage;
import io.glance.prompt.PromptPiece;
import io.glance.prompt.RenderedPrompt;

import java.util.List;
import java.util.Locale;

/**
 * The Qwen-VL chat template: {@code <|im_start|>role\n…<|im_end|>\n} per turn, the template's default system turn
 * before a conversation that has none (Qwen2-VL and Qwen2.5-VL have one, Qwen3-VL none), each picture as
 * {@code <|vision_start|>} + one {@code <|image_pad|>} per merged patch + {@code <|vision_end|>}, and
 * {@code <|im_start|>assistant\n} to ask for the answer. Immutable; safe on any thread.
 */
final class QwenPromptFormat implements PromptFormat {
    static final String IM_START = "<|im_start|>";
    static final String IM_END = "<|im_end|>";
    static final String VISION_START = "<|vision_start|>";
    static final String VISION_END = "<|vision_end|>";
    static final String IMAGE_PAD = "<|image_pad|>";

    private final String defaultSystem;

    /** @param defaultSystem the system turn the template adds when a conversation has none, or {@code null} */
    QwenPromptFormat(String defaultSystem) {
        this.defaultSystem = defaultSystem;
    }

    @Override
    public RenderedPrompt render(List<ChatMessage> messages, List<ImageLayout> layouts) {
        long slots = messages.stream().mapToLong(ChatMessage::imageCount).sum();
        if (slots != layouts.size()) {
            throw new IllegalArgumentException("the conversation has " + slots + " pictures but " + layouts.size()
                    + " layouts");
        }
        RenderedPrompt.Builder out = new RenderedPrompt.Builder();
        if (defaultSystem != null && (messages.isEmpty() || messages.get(0).role() != ChatMessage.Role.SYSTEM)) {
            out.marker(IM_START).text("system\n" + defaultSystem).marker(IM_END).text("\n");
        }
        int image = 0;
        for (ChatMessage message : messages) {
            out.marker(IM_START).text(message.role().name().toLowerCase(Locale.ROOT) + "\n");
            for (ChatMessage.Part part : message.parts()) {
                if (part instanceof ChatMessage.Text text) {
                    out.text(text.text());
                } else {
                    out.marker(VISION_START).add(new PromptPiece.Marker(IMAGE_PAD, layouts.get(image++).featureRows()))
                            .marker(VISION_END);
                }
            }
            out.marker(IM_END).text("\n");
        }
        return out.marker(IM_START).text("assistant\n").build();
    }

    @Override
    public List<String> stopMarkers() {
        return List.of(IM_END);
    }
}
