package io.glance.settings;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;

import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * One JSON document in one file (Gson, pretty-printed, nulls kept). Writes go to a temporary file that is
 * flushed to the disk and then moved over the old one, so neither a crash nor a power cut leaves half a file. Immutable; callers that write the same file from
 * several threads must serialise their writes.
 */
public final class JsonFile {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping()
            .create();

    private final Path file;

    public JsonFile(Path file) {
        this.file = file;
    }

    public Path path() {
        return file;
    }

    /** The Gson configuration this file is written with, for callers that build JSON trees. */
    public static Gson gson() {
        return GSON;
    }

    /**
     * The document as {@code type}, or {@code null} when the file does not exist.
     *
     * @throws IOException        when the file cannot be read
     * @throws JsonParseException when it is not JSON of that type
     */
    public <T> T read(Type type) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        return GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), type);
    }

    /** Replaces the file with {@code value} as JSON, creating its folder. */
    public void write(Object value) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer bytes = StandardCharsets.UTF_8.encode(GSON.toJson(value));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        try {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
