package io.glance.library;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The index file: round trip, refusing foreign JSON, and never a half-written file. */
class LibraryIndexTest {
    @TempDir
    Path dir;

    static IndexedImage image(String path, String caption) {
        return new IndexedImage(path, caption, "glance-demo-shapes", "q4", "Describe the image.",
                "2025-01-02T03:04:05Z", 640, 480, 1234, 1_700_000_000_000L, "ab".repeat(32));
    }

    @Test
    void savedIndexReadsBackWithItsFolder() throws IOException {
        Path file = dir.resolve("elsewhere/index.json");
        LibraryIndex index = LibraryIndex.open(file, dir);
        index.put(image("b.png", "A green triangle."));
        index.put(image("a.png", "A red circle."));
        index.skip(new SkippedFile("bad.png", "not a supported image"));
        index.save();

        LibraryIndex read = LibraryIndex.read(file);
        assertEquals(dir.toAbsolutePath().normalize(), read.root());
        assertEquals(List.of(image("a.png", "A red circle."), image("b.png", "A green triangle.")), read.images());
        assertEquals(List.of(new SkippedFile("bad.png", "not a supported image")), read.skipped());
        assertFalse(Files.exists(file.resolveSibling("index.json.tmp")));
    }

    @Test
    void anIndexKeptElsewhereIsRefusedForAnotherFolderButOneInsideItsFolderFollowsAMove() throws IOException {
        Path photos = Files.createDirectories(dir.resolve("photos"));
        Path outside = dir.resolve("indexes/photos.json");
        LibraryIndex first = LibraryIndex.open(outside, photos);
        first.put(image("a.png", "A red circle."));
        first.save();

        IOException e = assertThrows(IOException.class, () -> LibraryIndex.open(outside, dir.resolve("scans")));
        assertTrue(e.getMessage().contains("is the index of " + photos.toAbsolutePath().normalize()), e.getMessage());
        assertEquals(1, LibraryIndex.read(outside).images().size(), "the other folder's index is untouched");

        LibraryIndex inside = LibraryIndex.open(photos.resolve(LibraryIndex.DEFAULT_FILE_NAME), photos);
        inside.put(image("a.png", "A red circle."));
        inside.save();
        Path moved = Files.move(photos, dir.resolve("photos-2024"));
        LibraryIndex followed = LibraryIndex.open(moved.resolve(LibraryIndex.DEFAULT_FILE_NAME), moved);
        assertEquals(1, followed.images().size());
        assertEquals(moved.toAbsolutePath().normalize(), followed.root());
    }

    @Test
    void aMissingIndexOpensEmptyButCannotBeSearched() throws IOException {
        Path file = dir.resolve(LibraryIndex.DEFAULT_FILE_NAME);
        assertTrue(LibraryIndex.open(file, dir).images().isEmpty());
        assertThrows(IOException.class, () -> LibraryIndex.read(file));
    }

    @Test
    void otherJsonIsRefused() throws IOException {
        Path settings = dir.resolve("settings.json");
        Files.writeString(settings, "{\"version\": 1, \"modelId\": \"x\"}");
        IOException e = assertThrows(IOException.class, () -> LibraryIndex.open(settings, dir));
        assertTrue(e.getMessage().contains("not a Glance library index"), e.getMessage());
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"format\": \"glance-library-index\", \"images\": [");
        assertThrows(IOException.class, () -> LibraryIndex.read(broken));
    }

    @Test
    void aSaveThatFailsMidWayLeavesThePreviousIndexWhole() throws IOException {
        Path file = dir.resolve(LibraryIndex.DEFAULT_FILE_NAME);
        LibraryIndex index = LibraryIndex.open(file, dir);
        index.put(image("a.png", "A red circle."));
        index.save();
        String before = Files.readString(file);

        // the temporary file cannot be written: the save fails before the rename
        Files.createDirectories(dir.resolve(LibraryIndex.DEFAULT_FILE_NAME + ".tmp").resolve("blocker"));
        index.put(image("b.png", "A green triangle."));
        assertThrows(IOException.class, index::save);

        assertEquals(before, Files.readString(file));
        assertEquals(1, LibraryIndex.read(file).images().size());
    }
}
