package io.glance.ui.settings;

import io.glance.settings.UserFolders;

import java.nio.file.Path;

/**
 * Where the desktop app keeps its own files, beside the folders of {@link UserFolders} (so the system
 * property {@code glance.home} moves them too): chat history in the user data folder next to the models,
 * the window's preferences next to the settings file. Immutable.
 *
 * @param history         saved chats and the images they were about
 * @param preferencesFile the desktop app's preferences
 */
public record AppHome(Path history, Path preferencesFile) {

    /** The folders for this process. */
    public static AppHome resolve() {
        UserFolders folders = UserFolders.fromSystem();
        return new AppHome(folders.modelsDir().resolveSibling("history"),
                folders.settingsFile().resolveSibling("ui-preferences.json"));
    }
}
