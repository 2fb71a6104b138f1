package io.glance.ui.inference;

import io.glance.generation.ChatSession;
import io.glance.settings.Settings;

/**
 * A loaded model as the UI sees it: conversations and a description. The composition root implements it
 * over ONNX Runtime, so the UI never touches the backend. Confined to the inference thread; close it there.
 */
public interface ModelRuntime extends AutoCloseable {

    /** A new, empty conversation with the settings' image splitting, longest edge and system prompt. */
    ChatSession newChat(Settings settings);

    ModelInfo info();

    @Override
    void close();
}
