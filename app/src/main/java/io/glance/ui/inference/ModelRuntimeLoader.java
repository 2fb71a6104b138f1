package io.glance.ui.inference;

/** Loads the model the app should use; called once, on the inference thread. */
@FunctionalInterface
public interface ModelRuntimeLoader {
    /** @throws Exception with a message fit to show people when no usable model is found */
    ModelRuntime load() throws Exception;
}
