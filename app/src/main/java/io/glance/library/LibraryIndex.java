package io.glance.library;

import com.google.gson.JsonParseException;
import io.glance.settings.JsonFile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The sidecar index of one library folder: the captioned images and the files skipped, keyed by their path
 * relative to the folder, kept in memory and saved as one JSON document. A save writes a temporary file and
 * renames it over the old one, so a crash leaves the previous complete index, never half of one.
 *
 * <p>Not thread-safe: confine an index to the thread of its {@link CaptionRun}; read it elsewhere only after
 * the run returned (or through a {@link LibrarySearch} built from it).
 */
public final class LibraryIndex {
    /** The index file name used inside the library folder when no other file is given. */
    public static final String DEFAULT_FILE_NAME = ".glance-index.json";
    /** The {@code format} value of an index document. */
    public static final String FORMAT = "glance-library-index";
    /** The version of the document this code writes and reads. */
    public static final int VERSION = 1;

    /** The JSON document. */
    private record Document(String format, int version, String root, String updated, List<IndexedImage> images,
                            List<SkippedFile> skipped) {
    }

    private final JsonFile file;
    private final Path root;
    private final TreeMap<String, IndexedImage> images = new TreeMap<>();
    private final TreeMap<String, SkippedFile> skipped = new TreeMap<>();

    private LibraryIndex(Path indexFile, Path root) {
        this.file = new JsonFile(indexFile);
        this.root = root.toAbsolutePath().normalize();
    }

    /**
     * The index of the library folder {@code root} kept in {@code indexFile}: its saved content, or an empty
     * index when the file does not exist yet. An index inside {@code root} follows the folder when it is moved;
     * one kept elsewhere must be the index of {@code root}.
     *
     * @throws IOException when the file exists but cannot be read, is not an index, or indexes another folder
     */
    public static LibraryIndex open(Path indexFile, Path root) throws IOException {
        LibraryIndex index = new LibraryIndex(indexFile, root);
        Document document = readDocument(indexFile);
        if (document != null) {
            Path saved = document.root() == null ? null : Path.of(document.root()).toAbsolutePath().normalize();
            boolean insideRoot = index.root.equals(indexFile.toAbsolutePath().normalize().getParent());
            if (saved != null && !saved.equals(index.root) && !insideRoot) {
                throw new IOException(indexFile + " is the index of " + saved + ", not of " + index.root
                        + "; give another index file for this folder");
            }
            index.fill(document);
        }
        return index;
    }

    /**
     * A saved index, with the library folder it names (the index file's folder when it names none).
     *
     * @throws IOException when the file is missing, cannot be read or is not an index
     */
    public static LibraryIndex read(Path indexFile) throws IOException {
        Document document = readDocument(indexFile);
        if (document == null) {
            throw new IOException(indexFile + ": no such index file");
        }
        Path root = document.root() != null ? Path.of(document.root()) : indexFile.toAbsolutePath().getParent();
        LibraryIndex index = new LibraryIndex(indexFile, root);
        index.fill(document);
        return index;
    }

    private static Document readDocument(Path indexFile) throws IOException {
        Document document;
        try {
            document = new JsonFile(indexFile).read(Document.class);
        } catch (JsonParseException e) {
            throw new IOException(indexFile + ": not a valid index file (" + e.getMessage() + ")");
        }
        if (document != null && (!FORMAT.equals(document.format()) || document.version() != VERSION)) {
            throw new IOException(indexFile + ": not a Glance library index (format " + document.format()
                    + " version " + document.version() + ")");
        }
        return document;
    }

    private void fill(Document document) {
        if (document.images() != null) {
            document.images().forEach(image -> images.put(image.path(), image));
        }
        if (document.skipped() != null) {
            document.skipped().forEach(skip -> skipped.put(skip.path(), skip));
        }
    }

    /** Writes the whole index to its file: a temporary file renamed over the old one. */
    public void save() throws IOException {
        file.write(new Document(FORMAT, VERSION, root.toString(), Instant.now().toString(),
                List.copyOf(images.values()), List.copyOf(skipped.values())));
    }

    /** The index file. */
    public Path file() {
        return file.path();
    }

    /** The library folder, absolute; image paths are relative to it. */
    public Path root() {
        return root;
    }

    /** The captioned images, by path. */
    public List<IndexedImage> images() {
        return List.copyOf(images.values());
    }

    /** The files that could not be captioned, by path. */
    public List<SkippedFile> skipped() {
        return List.copyOf(skipped.values());
    }

    /** The caption of the file at {@code path}, if any. */
    public Optional<IndexedImage> image(String path) {
        return Optional.ofNullable(images.get(path));
    }

    /** Records a caption, replacing the file's earlier caption or skip. */
    public void put(IndexedImage image) {
        skipped.remove(image.path());
        images.put(image.path(), image);
    }

    /** Records a file as skipped, forgetting its earlier caption (its content is no longer what was captioned). */
    public void skip(SkippedFile file) {
        images.remove(file.path());
        skipped.put(file.path(), file);
    }

    /** Forgets the caption of {@code path}; returns whether it had one. */
    public boolean remove(String path) {
        return images.remove(path) != null;
    }

    /** Forgets the skipped files (a new run looks at them again). */
    public void clearSkipped() {
        skipped.clear();
    }
}
