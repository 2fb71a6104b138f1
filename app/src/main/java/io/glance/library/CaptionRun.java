package io.glance.library;

import io.glance.embedding.EmbeddingModel;
import io.glance.generation.Cancellation;
import io.glance.generation.GenerationException;
import io.glance.generation.UnsupportedPictureException;
import io.glance.vision.DecodedImage;
import io.glance.vision.ImageDecoder;
import io.glance.vision.ImageLoadException;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Brings a {@link LibraryIndex} up to date with its folder: finds the image files (by extension; hidden files
 * and folders, the index's own {@code .glance-index.json} among them, left out), captions those that are new or
 * changed and/or stores their image–text embedding (a run may do either or both; what it does not make is kept
 * while the file's bytes are the same), keeps the rest, drops captions of files that are gone, and lists the files that cannot be captioned
 * (other files, unreadable, corrupt or truncated images) with the reason, without stopping on them.
 *
 * <p>A file is unchanged when its size and modification time are those of its caption; when they differ its
 * SHA-256 is compared, so a touched but identical file is not captioned again. A caption made with another
 * model, precision or prompt is made again, and so is an embedding made with another model. The index is saved every {@link #SAVE_EVERY_FILES} files or
 * {@link #SAVE_INTERVAL}, whichever comes first, and when the run ends for any reason (done, cancelled,
 * failed), so a cancel loses only the file in flight and a hard kill at most the unsaved files.
 *
 * <p>Confined to the calling thread, which must own the captioner's model; other threads stop a run only
 * through its {@link Cancellation}.
 */
public final class CaptionRun {
    /** File extensions looked at, lowercase. */
    public static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "webp");
    /** The reason given for a file whose name is not that of an image. */
    static final String NOT_AN_IMAGE = "not an image file (captioned: " + IMAGE_EXTENSIONS.stream().sorted()
            .map(extension -> "." + extension).collect(Collectors.joining(", ")) + ")";
    /** Index changes after which the index is saved. */
    public static final int SAVE_EVERY_FILES = 10;
    /** Time after which unsaved index changes are saved. */
    public static final Duration SAVE_INTERVAL = Duration.ofSeconds(5);

    /** Reads a whole file: the seam through which tests provoke read errors that root would not get. */
    @FunctionalInterface
    interface FileContents {
        byte[] read(Path file) throws IOException;
    }

    /** A file whose size or time differ from its caption's (or that has none): to be looked at. */
    private record Candidate(Path file, String key, long sizeBytes, long modifiedMillis) {
    }

    private enum Outcome { CAPTIONED, UNCHANGED, SKIPPED, CANCELLED }

    private final LibraryIndex index;
    private final Captioner captioner;
    private final EmbeddingModel embedder;
    private final boolean recursive;
    private final FileContents contents;
    private final ImageDecoder decoder = new ImageDecoder();
    private final List<SkippedFile> skippedNow = new ArrayList<>();

    /**
     * @param index     the index to update; its root is the folder captioned
     * @param recursive whether sub-folders are captioned too
     */
    public CaptionRun(LibraryIndex index, Captioner captioner, boolean recursive) {
        this(index, captioner, null, recursive, Files::readAllBytes);
    }

    /**
     * A run that captions, stores image–text embeddings, or both.
     *
     * @param captioner writes the captions; {@code null} to keep the captions the index has (embeddings only)
     * @param embedder  embeds each picture; {@code null} for captions only
     * @param recursive whether sub-folders are looked at too
     */
    public CaptionRun(LibraryIndex index, Captioner captioner, EmbeddingModel embedder, boolean recursive) {
        this(index, captioner, embedder, recursive, Files::readAllBytes);
    }

    CaptionRun(LibraryIndex index, Captioner captioner, EmbeddingModel embedder, boolean recursive,
               FileContents contents) {
        if (captioner == null && embedder == null) {
            throw new IllegalArgumentException("a run captions, embeds, or both");
        }
        this.index = index;
        this.captioner = captioner;
        this.embedder = embedder;
        this.recursive = recursive;
        this.contents = contents;
    }

    /**
     * Runs once over the folder. The skipped files of an earlier run are looked at again.
     *
     * @param progress receives the total before the first file and the state after each file, on this thread
     * @param cancel   stops the run after the file in flight, whose caption is not recorded
     * @throws IOException when the folder cannot be walked or the index cannot be saved
     */
    public CaptionSummary run(Consumer<CaptionProgress> progress, Cancellation cancel) throws IOException {
        long start = System.nanoTime();
        index.clearSkipped();
        List<Path> files = listImages();
        int removed = removeVanished();
        int skippedWhileListing = skippedNow.size();
        List<Candidate> work = new ArrayList<>();
        for (Path file : files) {
            candidate(file).ifPresent(work::add);
        }
        int unchanged = files.size() - work.size() - (skippedNow.size() - skippedWhileListing);
        int captioned = 0;
        int done = 0;
        boolean cancelled = false;
        int unsaved = 0;
        long lastSave = System.nanoTime();
        long loopStart = System.nanoTime();
        try {
            progress.accept(new CaptionProgress(0, work.size(), 0, skippedNow.size(), null, Duration.ZERO));
            for (Candidate candidate : work) {
                Outcome outcome = cancel.isCancelled() ? Outcome.CANCELLED : look(candidate, cancel);
                if (outcome == Outcome.CANCELLED) {
                    cancelled = true;
                    break;
                }
                done++;
                captioned += outcome == Outcome.CAPTIONED ? 1 : 0;
                unchanged += outcome == Outcome.UNCHANGED ? 1 : 0;
                unsaved++;
                if (unsaved >= SAVE_EVERY_FILES || System.nanoTime() - lastSave >= SAVE_INTERVAL.toNanos()) {
                    index.save();
                    unsaved = 0;
                    lastSave = System.nanoTime();
                }
                progress.accept(new CaptionProgress(done, work.size(), captioned, skippedNow.size(), candidate.key(),
                        Duration.ofNanos(System.nanoTime() - loopStart)));
            }
        } finally {
            index.save();
        }
        return new CaptionSummary(files.size(), captioned, unchanged, removed, List.copyOf(skippedNow), cancelled,
                Duration.ofNanos(System.nanoTime() - start));
    }

    /** The file when it must be looked at; empty when its size and time show it unchanged, or it is skipped. */
    private Optional<Candidate> candidate(Path file) {
        String key = key(file);
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            skip(key, readFailure(e));
            return Optional.empty();
        }
        long size = attributes.size();
        long modified = attributes.lastModifiedTime().toMillis();
        Optional<IndexedImage> known = index.image(key);
        boolean unchanged = known.isPresent() && complete(known.get())
                && known.get().sizeBytes() == size && known.get().modifiedMillis() == modified;
        return unchanged ? Optional.empty() : Optional.of(new Candidate(file, key, size, modified));
    }

    /** Whether the record has everything this run makes, made the way this run makes it. */
    private boolean complete(IndexedImage image) {
        return (captioner == null || image.madeWith(captioner.setup()))
                && (embedder == null || image.embeddedWith(embedder.id()));
    }

    /** Hashes, decodes and captions one file, recording the result in the index. */
    private Outcome look(Candidate candidate, Cancellation cancel) {
        if (candidate.sizeBytes() > ImageDecoder.MAX_FILE_BYTES) {
            return skip(candidate.key(), "file is too large (" + (candidate.sizeBytes() >> 20) + " MB)");
        }
        byte[] bytes;
        try {
            bytes = contents.read(candidate.file());
        } catch (IOException e) {
            return skip(candidate.key(), readFailure(e));
        }
        String sha256 = sha256(bytes);
        Optional<IndexedImage> known = index.image(candidate.key()).filter(image -> image.sha256().equals(sha256));
        if (known.isPresent() && complete(known.get())) {
            index.put(known.get().withFileTime(candidate.sizeBytes(), candidate.modifiedMillis()));
            return Outcome.UNCHANGED;
        }
        try (DecodedImage image = decoder.decode(bytes)) {
            IndexedImage record = known.orElse(new IndexedImage(candidate.key(), null, null, null, null, null,
                    image.width(), image.height(), candidate.sizeBytes(), candidate.modifiedMillis(), sha256));
            if (captioner != null && !record.madeWith(captioner.setup())) {
                CaptionSetup setup = captioner.setup();
                String caption = captioner.caption(image, cancel);
                if (cancel.isCancelled()) {
                    return Outcome.CANCELLED;
                }
                record = new IndexedImage(candidate.key(), caption, setup.model(), setup.precision(), setup.prompt(),
                        Instant.now().toString(), image.width(), image.height(), candidate.sizeBytes(),
                        candidate.modifiedMillis(), sha256, record.embeddingModel(), record.embedding());
            }
            if (embedder != null && !record.embeddedWith(embedder.id())) {
                record = record.withEmbedding(embedder.id(), embedder.embedImages(List.of(image))[0]);
            }
            index.put(record.withFileTime(candidate.sizeBytes(), candidate.modifiedMillis()));
            return Outcome.CAPTIONED;
        } catch (ImageLoadException e) {
            return skip(candidate.key(), e.getMessage());
        } catch (GenerationException e) {
            return skip(candidate.key(), "captioning failed: " + e.getMessage());
        } catch (UnsupportedPictureException e) {
            return skip(candidate.key(), e.getMessage());
        } catch (RuntimeException e) {
            return skip(candidate.key(), "cannot decode or caption (" + e + ")");
        }
    }

    private Outcome skip(String key, String reason) {
        SkippedFile skipped = new SkippedFile(key, reason);
        skippedNow.add(skipped);
        index.skip(skipped);
        return Outcome.SKIPPED;
    }

    /** The image files under the root, sorted; folders that cannot be listed are recorded as skipped. */
    private List<Path> listImages() throws IOException {
        Path root = index.root();
        if (!Files.isDirectory(root)) {
            throw new IOException(root + ": not a folder");
        }
        List<Path> found = new ArrayList<>();
        Files.walkFileTree(root, EnumSet.noneOf(FileVisitOption.class), recursive ? Integer.MAX_VALUE : 1,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                        return dir.equals(root) || !hidden(dir) ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                        if (attributes.isRegularFile() && !hidden(file)) {
                            if (imageName(file)) {
                                found.add(file);
                            } else {
                                skip(key(file), NOT_AN_IMAGE);
                            }
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        if (!hidden(file)) {
                            skip(key(file), readFailure(e));
                        }
                        return FileVisitResult.CONTINUE;
                    }
                });
        found.sort(null);
        return found;
    }

    /** Drops the captions whose file no longer exists; returns how many. */
    private int removeVanished() {
        int removed = 0;
        for (IndexedImage image : index.images()) {
            if (!Files.exists(image.file(index.root())) && index.remove(image.path())) {
                removed++;
            }
        }
        return removed;
    }

    private String key(Path file) {
        return index.root().relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }

    private static boolean hidden(Path file) {
        return file.getFileName() != null && file.getFileName().toString().startsWith(".");
    }

    private static boolean imageName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static String readFailure(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "cannot read: permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "cannot read: the file disappeared";
        }
        return "cannot read (" + e.getMessage() + ")";
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
