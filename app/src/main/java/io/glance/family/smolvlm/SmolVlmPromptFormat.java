package io.glance.family.smolvlm;

import io.glance.generation.ImageLayout;
import io.glance.generation.PromptFormat;
import io.glance.prompt.ChatMessage;
import io.glance.prompt.RenderedPrompt;

import java.util.List;

/**
 * SmolVLM's chat template with each picture expanded to its tiles' tokens ({@link ChatTemplate},
 * {@link ImageTokenExpander}); a turn ends with {@code <end_of_utterance>}. Stateless; safe on any thread.
 */
final class SmolVlmPromptFormat implements PromptFormat {
    private final ChatTemplate template = new ChatTemplate();
    private final ImageTokenExpander expander = new ImageTokenExpander();

    @Override
    public RenderedPrompt render(List<ChatMessage> messages, List<ImageLayout> layouts) {
        return expander.expand(template.render(messages, true), layouts);
    }

    @Override
    public List<String> stopMarkers() {
        return List.of(ChatTemplate.END_OF_UTTERANCE);
    }
}
