package io.glance.session;

import io.glance.settings.Settings;

/** Work that borrows the loaded model, such as captioning a library; runs on the inference thread. */
@FunctionalInterface
public interface ModelWork {
    /**
     * @param runtime  the loaded model; the work must not close it
     * @param settings the settings in force, for {@link ModelRuntime#newChat}
     */
    void run(ModelRuntime runtime, Settings settings) throws Exception;
}
