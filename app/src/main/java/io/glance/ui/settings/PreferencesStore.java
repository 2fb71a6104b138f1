package io.glance.ui.settings;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Loads and saves {@link UiPreferences} as JSON. Call on a background thread (or before the window opens).
 * Thread-safe.
 */
public final class PreferencesStore {
    private final Path file;
    private final JsonFiles json = new JsonFiles();

    public PreferencesStore(Path file) {
        this.file = file;
    }

    /** The saved preferences, or the defaults when there are none. */
    public UiPreferences load() {
        return json.read(file, UiPreferences.class, UiPreferences.defaults()).completed();
    }

    public synchronized void save(UiPreferences preferences) throws IOException {
        json.write(file, preferences);
    }
}
