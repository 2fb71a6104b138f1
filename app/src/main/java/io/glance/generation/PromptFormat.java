package io.glance.generation;

import io.glance.prompt.ChatMessage;
import io.glance.prompt.RenderedPrompt;

import java.util.List;

/**
 * A family's chat template and image-token layout: a conversation becomes prompt pieces (markers, text and each
 * picture's image tokens), ready for {@link io.glance.prompt.TextTokenizer#encode(RenderedPrompt)}. Stateless;
 * safe on any thread.
 */
public interface PromptFormat {

    /**
     * Renders {@code messages} with the generation prompt at the end, each picture expanded to its image tokens.
     *
     * @param layouts one per picture of the conversation, in order
     * @throws IllegalArgumentException when the messages hold a different number of pictures
     */
    RenderedPrompt render(List<ChatMessage> messages, List<ImageLayout> layouts);

    /** Markers that end an answer besides the model's eos ids (the end of a turn). */
    List<String> stopMarkers();
}
