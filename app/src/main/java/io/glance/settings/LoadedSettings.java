package io.glance.settings;

/**
 * What {@link SettingsStore#load()} found. Immutable; safe on any thread.
 *
 * @param settings the settings to use (defaults when the file was missing or unusable)
 * @param notice   a sentence to show the user when the file was unusable and was set aside, else {@code null}
 */
public record LoadedSettings(Settings settings, String notice) {
}
