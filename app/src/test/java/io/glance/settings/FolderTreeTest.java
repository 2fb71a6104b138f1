package io.glance.settings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A folder with files and sub-folders is removed whole; a missing one is no error; its neighbours stay. */
class FolderTreeTest {
    @TempDir
    Path temp;

    @Test
    void removesTheFolderWithEverythingInItAndNothingBeside() throws Exception {
        Path folder = Files.createDirectories(temp.resolve("cache/a/b"));
        Files.writeString(folder.resolve("deep.bin"), "x");
        Files.writeString(temp.resolve("cache/top.txt"), "y");
        Path neighbour = Files.writeString(temp.resolve("cache-neighbour.txt"), "z");

        FolderTree.delete(temp.resolve("cache"));

        assertFalse(Files.exists(temp.resolve("cache")));
        assertTrue(Files.exists(neighbour));
        FolderTree.delete(temp.resolve("cache")); // gone already: nothing to do
        FolderTree.delete(temp.resolve("never-made"));
        assertTrue(Files.exists(neighbour));
    }
}
