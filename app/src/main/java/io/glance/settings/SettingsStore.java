package io.glance.settings;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * Reads and writes {@link Settings} as JSON (Gson). Keys missing from the file take their default values. A
 * file that is not valid JSON, not an object, or of an unknown version is never overwritten silently: it is
 * renamed to {@code settings.json.unreadable-<time>} and the defaults come back with a notice. Saving writes a
 * temporary file and moves it in place, so a crash never leaves half a file. Not thread-safe: use it from one
 * thread (the UI's), or guard it.
 */
public final class SettingsStore {
    private static final Gson GSON = JsonFile.gson();
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path file;

    public SettingsStore(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** The stored settings, or the defaults (with a notice when a bad file was set aside). Never throws. */
    public LoadedSettings load() {
        if (!Files.isRegularFile(file)) {
            return new LoadedSettings(Settings.defaults(), null);
        }
        String problem;
        try {
            JsonElement element = JsonParser.parseString(Files.readString(file));
            if (!element.isJsonObject()) {
                problem = "is not a JSON object";
            } else {
                JsonObject stored = element.getAsJsonObject();
                int version = stored.has("version") ? stored.get("version").getAsInt() : Settings.CURRENT_VERSION;
                if (version != Settings.CURRENT_VERSION) {
                    problem = "has version " + version + ", this Glance reads version " + Settings.CURRENT_VERSION;
                } else {
                    JsonObject merged = GSON.toJsonTree(Settings.defaults()).getAsJsonObject();
                    for (Map.Entry<String, JsonElement> entry : stored.entrySet()) {
                        if (merged.has(entry.getKey())) {
                            merged.add(entry.getKey(), entry.getValue());
                        }
                    }
                    return new LoadedSettings(GSON.fromJson(merged, Settings.class), null);
                }
            }
        } catch (IOException e) {
            return new LoadedSettings(Settings.defaults(),
                    "Settings file " + file + " cannot be read (" + e.getMessage() + "); using defaults.");
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException | NumberFormatException e) {
            problem = "is not valid settings JSON (" + e.getMessage() + ")";
        }
        return new LoadedSettings(Settings.defaults(), "Settings file " + file + " " + problem + "; "
                + setAside() + " Using default settings.");
    }

    /** Writes the settings atomically, creating the folder when needed. */
    public void save(Settings settings) throws IOException {
        new JsonFile(file).write(settings);
    }

    private String setAside() {
        Path aside = file.resolveSibling(file.getFileName() + ".unreadable-" + LocalDateTime.now().format(STAMP));
        try {
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            return "it was kept as " + aside + ".";
        } catch (IOException e) {
            return "it could not be set aside (" + e.getMessage() + ") and will be replaced on the next save.";
        }
    }
}
