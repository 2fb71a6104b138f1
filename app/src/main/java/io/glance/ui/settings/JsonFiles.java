package io.glance.ui.settings;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;

import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Reads and writes one JSON document per file with Gson; writes go to a temporary file that is then moved
 * over the old one, so a crash never leaves half a file. Call on the I/O thread. Thread-safe.
 */
public final class JsonFiles {
    private final Gson gson = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    /** The document, or {@code fallback} when the file is missing or unreadable. */
    public <T> T read(Path file, Type type, T fallback) {
        if (!Files.isRegularFile(file)) {
            return fallback;
        }
        try {
            T value = gson.fromJson(Files.readString(file, StandardCharsets.UTF_8), type);
            return value == null ? fallback : value;
        } catch (IOException | JsonParseException e) {
            return fallback;
        }
    }

    /** Replaces the file with {@code value} as JSON, creating its folder. */
    public void write(Path file, Object value) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, gson.toJson(value), StandardCharsets.UTF_8);
        try {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
