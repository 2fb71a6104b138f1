package io.glance.settings;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Where Glance keeps user data, by OS convention: models in the user data folder (Linux
 * {@code $XDG_DATA_HOME/glance/models} or {@code ~/.local/share/glance/models}, macOS
 * {@code ~/Library/Application Support/Glance/models}, Windows {@code %LOCALAPPDATA%\Glance\models}), settings in
 * the config folder (Linux {@code $XDG_CONFIG_HOME/glance}, macOS {@code ~/Library/Application Support/Glance},
 * Windows {@code %APPDATA%\Glance}), files that can be rebuilt at any time in the cache folder (Linux
 * {@code $XDG_CACHE_HOME/glance} or {@code ~/.cache/glance}, macOS {@code ~/Library/Caches/Glance}, Windows
 * {@code %LOCALAPPDATA%\Glance\cache}). The system property {@code glance.home} puts all three under one folder
 * (tests, portable installs). Immutable; safe on any thread.
 *
 * @param modelsDir    folder of installed models
 * @param settingsFile the settings JSON file
 * @param cacheDir     folder of rebuildable files (native libraries unpacked from the jar)
 */
public record UserFolders(Path modelsDir, Path settingsFile, Path cacheDir) {
    /** System property that overrides both folders. */
    public static final String HOME_PROPERTY = "glance.home";

    /** The folders for this process: {@code glance.home} when set, else the OS convention. */
    public static UserFolders fromSystem() {
        return resolve(System.getProperty(HOME_PROPERTY), System.getProperty("os.name"), System.getenv(),
                Path.of(System.getProperty("user.home")));
    }

    /**
     * The folders for a given environment.
     *
     * @param glanceHome the {@code glance.home} override, or {@code null}
     */
    public static UserFolders resolve(String glanceHome, String osName, Map<String, String> env, Path userHome) {
        if (glanceHome != null && !glanceHome.isBlank()) {
            Path home = Path.of(glanceHome);
            return new UserFolders(home.resolve("models"), home.resolve("settings.json"), home.resolve("cache"));
        }
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            Path local = envPath(env, "LOCALAPPDATA", userHome.resolve("AppData").resolve("Local"));
            Path roaming = envPath(env, "APPDATA", userHome.resolve("AppData").resolve("Roaming"));
            return new UserFolders(local.resolve("Glance").resolve("models"),
                    roaming.resolve("Glance").resolve("settings.json"), local.resolve("Glance").resolve("cache"));
        }
        if (os.startsWith("mac")) {
            Path support = userHome.resolve("Library").resolve("Application Support").resolve("Glance");
            return new UserFolders(support.resolve("models"), support.resolve("settings.json"),
                    userHome.resolve("Library").resolve("Caches").resolve("Glance"));
        }
        Path data = envPath(env, "XDG_DATA_HOME", userHome.resolve(".local").resolve("share"));
        Path config = envPath(env, "XDG_CONFIG_HOME", userHome.resolve(".config"));
        Path cache = envPath(env, "XDG_CACHE_HOME", userHome.resolve(".cache"));
        return new UserFolders(data.resolve("glance").resolve("models"),
                config.resolve("glance").resolve("settings.json"), cache.resolve("glance"));
    }

    private static Path envPath(Map<String, String> env, String name, Path fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() || !Path.of(value).isAbsolute() ? fallback : Path.of(value);
    }
}
