package io.glance.ui.inference;

import io.glance.generation.ChatSession;

/**
 * A loaded model as the UI sees it: conversations and a description. The composition root implements it
 * over ONNX Runtime, so the UI never touches the backend. Confined to the inference thread; close it there.
 */
public interface ModelRuntime extends AutoCloseable {

    /** A new, empty conversation. */
    ChatSession newChat();

    ModelInfo info();

    @Override
    void close();
}
