package io.glance.ui.settings;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The folder where the desktop app keeps the user's data (history, preferences): the system property
 * {@code glance.home} when set (tests point it at a temporary folder), else the platform's user data folder
 * ({@code %APPDATA%\Glance}, {@code ~/Library/Application Support/Glance}, {@code $XDG_DATA_HOME/glance}
 * or {@code ~/.local/share/glance}). Immutable.
 *
 * @param root the folder; created by whoever writes into it
 */
public record AppHome(Path root) {

    /** The folder for this user and platform. */
    public static AppHome resolve() {
        String override = System.getProperty("glance.home");
        if (override != null && !override.isBlank()) {
            return new AppHome(Path.of(override));
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        Path home = Path.of(System.getProperty("user.home"));
        if (os.startsWith("windows") && System.getenv("APPDATA") != null) {
            return new AppHome(Path.of(System.getenv("APPDATA"), "Glance"));
        }
        if (os.startsWith("mac")) {
            return new AppHome(home.resolve("Library/Application Support/Glance"));
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        return new AppHome((xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".local/share")).resolve("glance"));
    }

    /** Saved chats and the images they were about. */
    public Path history() {
        return root.resolve("history");
    }

    /** The desktop app's preferences file. */
    public Path preferencesFile() {
        return root.resolve("ui-preferences.json");
    }
}
