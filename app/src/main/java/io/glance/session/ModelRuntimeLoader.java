package io.glance.session;

import io.glance.settings.Settings;

/**
 * Loads the model the settings choose (model, precision, device); called on the inference thread, after the
 * settings were written to the settings file.
 */
@FunctionalInterface
public interface ModelRuntimeLoader {
    /** @throws Exception with a message fit to show people when no usable model is found */
    ModelRuntime load(Settings settings) throws Exception;
}
