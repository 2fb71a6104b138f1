package io.glance.library;

import io.glance.generation.Cancellation;
import io.glance.generation.ChatSession;
import io.glance.generation.GenerationException;
import io.glance.generation.GenerationOptions;
import io.glance.vision.DecodedImage;

import java.util.List;

/**
 * Captions through one {@link ChatSession}, reset before every image so each caption is a single-turn answer
 * to the setup's prompt. Confined to the session's inference thread; the session stays owned by the caller.
 */
public final class ChatCaptioner implements Captioner {
    private final ChatSession chat;
    private final CaptionSetup setup;
    private final GenerationOptions options;

    public ChatCaptioner(ChatSession chat, CaptionSetup setup, GenerationOptions options) {
        this.chat = chat;
        this.setup = setup;
        this.options = options;
    }

    @Override
    public CaptionSetup setup() {
        return setup;
    }

    @Override
    public String caption(DecodedImage image, Cancellation cancel) throws GenerationException {
        chat.reset();
        return chat.ask(setup.prompt(), List.of(image), options, piece -> { }, cancel).text();
    }
}
