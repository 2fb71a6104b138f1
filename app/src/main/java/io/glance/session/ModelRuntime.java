package io.glance.session;

import io.glance.generation.ChatSession;
import io.glance.settings.Settings;

/**
 * A loaded model as the UI sees it: conversations and a description. The composition root implements it
 * over ONNX Runtime, so the UI never touches the backend. Confined to the inference thread; close it there.
 */
public interface ModelRuntime extends AutoCloseable {

    /**
     * A new, empty conversation about pictures of {@code origin}, with the settings' longest edge and system
     * prompt. Images are split into tiles as the settings say; when they leave it to Glance ({@code null}),
     * camera frames go whole while the model runs on the CPU (one vision encoder run instead of up to 17: a
     * first answer in seconds, not a minute) and everything else as the model says.
     */
    ChatSession newChat(Settings settings, ImageOrigin origin);

    ModelInfo info();

    @Override
    void close();
}
