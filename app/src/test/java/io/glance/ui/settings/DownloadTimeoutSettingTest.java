package io.glance.ui.settings;

import io.glance.TestModels;
import io.glance.model.store.ModelStore;
import io.glance.settings.Settings;
import io.glance.settings.SettingsStore;
import io.glance.ui.models.ModelLibrary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The download stall timeout of the Settings window: saved to settings.json (the default left out), and what the
 * Models window's downloads then wait for, read from the saved file at each download.
 */
class DownloadTimeoutSettingTest {

    @Test
    void theFormsTimeoutIsSavedAndReachesTheDownloads(@TempDir Path temp) throws Exception {
        SettingsStore store = new SettingsStore(temp.resolve("settings.json"));
        ModelLibrary library = new ModelLibrary(() -> TestModels.repoRoot().resolve("model-assets/catalog.json"),
                new ModelStore(temp.resolve("models")),
                () -> SettingsViewModel.downloadReadTimeout(store.load().settings()));
        SettingsViewModel settings = new SettingsViewModel(Settings.defaults(), null, store, library,
                Runnable::run, Runnable::run);
        assertEquals(Duration.ofSeconds(20), library.downloadOptions().readTimeout(), "the default before any change");

        settings.editForm(List.of());
        assertEquals(20, settings.downloadReadTimeoutProperty().get(), "the form shows the default");
        settings.downloadReadTimeoutProperty().set(45);
        settings.applyForm();
        assertEquals(45, store.load().settings().downloadReadTimeoutSeconds());
        assertEquals(Duration.ofSeconds(45), library.downloadOptions().readTimeout());
        assertEquals(Duration.ofSeconds(4 * 45 + 1 + 2 + 4),
                library.downloadOptions().stalledServerGivesUpAfter(), "four stalls and the backoff between");

        settings.editForm(List.of());
        settings.downloadReadTimeoutProperty().set(20);
        settings.applyForm();
        assertNull(store.load().settings().downloadReadTimeoutSeconds(), "the default is not written down");
    }
}
