package io.glance.settings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removal of a folder with everything in it, as the user folders' caches and model folders need. Stateless. */
public final class FolderTree {
    private FolderTree() {
    }

    /**
     * Deletes {@code folder} and everything below it, deepest first; nothing happens when it does not exist.
     *
     * @throws IOException when something in it cannot be listed or deleted (what was deleted before stays deleted)
     */
    public static void delete(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
