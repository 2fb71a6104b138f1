package io.glance.model.download;

import io.glance.model.PrecisionSet;
import io.glance.model.catalog.CatalogFile;
import io.glance.model.catalog.CatalogModel;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * One requested download of a model's precision set into its store folder. {@link #run()} does the work on
 * the calling thread (a UI runs it on a background thread); {@link #pause()}, {@link #resume()} and
 * {@link #cancel()} may be called from any thread. Each file goes to {@code <name>.part}, continues from there
 * with HTTP Range after a pause, a dropped connection or a restart of the app, and is moved into place
 * atomically only once its sha256 (or, when no sha256 is known anywhere, its size) matches. Files already in
 * place are not downloaded again.
 */
public final class ModelDownload {
    /** Suffix of partial files, next to their final name. */
    public static final String PART_SUFFIX = ".part";
    private static final long PROGRESS_INTERVAL_NANOS = 100_000_000L;

    private final CatalogModel model;
    private final PrecisionSet precisions;
    private final Path folder;
    private final URI baseUrl;
    private final DownloadOptions options;
    private final DownloadListener listener;
    private final List<CatalogFile> missing;
    private final DownloadControl control = new DownloadControl();
    private final HttpRangeFetcher fetcher;
    private volatile DownloadState state = DownloadState.NOT_STARTED;

    private long doneBytes;
    private long lastProgressNanos;
    private long lastProgressBytes;
    private double bytesPerSecond;

    ModelDownload(CatalogModel model, PrecisionSet precisions, Path folder, DownloadOptions options,
                  DownloadListener listener) {
        this.model = model;
        this.precisions = precisions;
        this.folder = folder;
        this.baseUrl = options.baseUrl();
        this.options = options;
        this.listener = listener;
        this.fetcher = new HttpRangeFetcher(options);
        this.missing = model.filesFor(precisions).stream()
                .filter(f -> !Files.isRegularFile(target(f)))
                .toList();
    }

    public CatalogModel model() {
        return model;
    }

    public PrecisionSet precisions() {
        return precisions;
    }

    /** The files this download still has to fetch (empty when the precision set is installed). */
    public List<CatalogFile> missingFiles() {
        return missing;
    }

    /** Bytes still to fetch of the files whose size the catalog knows, partial files counted as done. */
    public long bytesToFetch() {
        long total = 0;
        for (CatalogFile file : missing) {
            if (file.hasSize()) {
                total += Math.max(0, file.size() - partSize(file));
            }
        }
        return total;
    }

    /** How many of the missing files have no size in the catalog (the server is asked before downloading). */
    public long filesWithoutSize() {
        return missing.stream().filter(file -> !file.hasSize()).count();
    }

    public DownloadState state() {
        return state;
    }

    /** Stops transferring and keeps partial files; {@link #run()} waits until {@link #resume()} or {@link #cancel()}. */
    public void pause() {
        control.pause();
    }

    public void resume() {
        control.resume();
    }

    /** Stops; the partial file being written is deleted (files already verified stay). */
    public void cancel() {
        control.cancel();
    }

    /**
     * Downloads every missing file, verifying each. Blocks until done, cancelled or failed.
     *
     * @return {@link DownloadState#DONE} (also when nothing was missing) or {@link DownloadState#CANCELLED}
     * @throws DownloadException when a file cannot be fetched after the retries, does not match its checksum, or
     *                           the disk is too small; the message says what is kept
     */
    public DownloadState run() throws DownloadException {
        if (state != DownloadState.NOT_STARTED) {
            throw new IllegalStateException("a download runs once; it is " + state);
        }
        setState(DownloadState.RUNNING);
        boolean folderExisted = Files.exists(folder);
        try {
            if (!missing.isEmpty()) {
                checkDiskSpace();
                Files.createDirectories(folder);
            }
            for (CatalogFile file : missing) {
                if (!fetchFile(file)) {
                    setState(DownloadState.CANCELLED);
                    return state;
                }
            }
            setState(DownloadState.DONE);
            return state;
        } catch (IOException e) {
            setState(DownloadState.FAILED);
            throw new DownloadException("cannot write into " + folder + ": " + e.getMessage(), e);
        } catch (DownloadException | RuntimeException e) {
            setState(DownloadState.FAILED);
            throw e;
        } finally {
            if (!folderExisted && state != DownloadState.DONE) {
                removeIfEmpty(folder);
            }
        }
    }

    /** Deletes {@code dir} and its sub-folders when no file is in them (nothing to resume, nothing installed). */
    private static void removeIfEmpty(Path dir) {
        try (Stream<Path> tree = Files.walk(dir)) {
            List<Path> paths = tree.sorted(Comparator.reverseOrder()).toList();
            if (paths.stream().allMatch(Files::isDirectory)) {
                for (Path path : paths) {
                    Files.delete(path);
                }
            }
        } catch (IOException e) {
            // the folder cannot be listed or emptied: it stays, and the next pull or remove deals with it
        }
    }

    /** @return false when cancelled */
    private boolean fetchFile(CatalogFile file) throws IOException, DownloadException {
        Path target = target(file);
        Path part = partOf(target);
        Files.createDirectories(target.getParent());
        long resumedFrom = partSize(file);
        doneBytes += resumedFrom;
        listener.fileStarted(file, resumedFrom);
        int failures = 0;
        boolean startedOver = false;
        while (true) {
            if (control.isPaused()) {
                setState(DownloadState.PAUSED);
                control.awaitResume();
                setState(DownloadState.RUNNING);
                lastProgressNanos = 0;
            }
            if (control.isCancelled()) {
                Files.deleteIfExists(part);
                return false;
            }
            long before = partSize(file);
            try {
                HttpRangeFetcher.Outcome outcome = fetcher.fetch(source(file), part, control,
                        bytes -> advance(file, bytes));
                if (outcome.complete()) {
                    install(file, part, target, outcome);
                    return true;
                }
            } catch (CorruptFile corrupt) {
                if (startedOver) {
                    throw new DownloadException(file.path() + ": " + corrupt.getMessage() + "; it was downloaded again "
                            + "from the start with the same result, so what the server sends does not match "
                            + corrupt.checkedAgainst + ". The corrupted file was deleted.");
                }
                startedOver = true;
                doneBytes -= corrupt.size;
                listener.retrying(file, 1, Duration.ZERO, corrupt.getMessage() + "; downloading it again from the start");
            } catch (IOException e) {
                if (control.stopRequested()) {
                    continue;
                }
                failures = partSize(file) > before ? 1 : failures + 1;
                if (failures >= options.maxAttempts()) {
                    deleteIfEmpty(part);
                    throw new DownloadException(file.path() + ": " + describe(e) + " (gave up after " + failures
                            + (failures == 1 ? " attempt; " : " attempts; ") + keptMessage(part) + ")", e);
                }
                Duration delay = options.backoff(failures);
                listener.retrying(file, failures, delay, describe(e));
                control.sleep(delay);
            }
        }
    }

    /**
     * A complete download whose size or sha256 is wrong; its file is already deleted. A resumed file can be
     * wrong where a fresh one is not (the part on disk was damaged, or the server's file changed between the
     * two requests), so the file is fetched once more from the start before giving up.
     */
    private static final class CorruptFile extends Exception {
        private static final long serialVersionUID = 1L;
        private final long size;
        /** Where the expected value came from: "the catalog", "the sha256 the server announced", … */
        private final String checkedAgainst;

        /** @param message what is wrong, without the file's path (the caller names the file) */
        CorruptFile(String message, long size, String checkedAgainst) {
            super(message);
            this.size = size;
            this.checkedAgainst = checkedAgainst;
        }
    }

    private void install(CatalogFile file, Path part, Path target, HttpRangeFetcher.Outcome outcome)
            throws IOException, CorruptFile {
        long size = Files.size(part);
        long expectedSize = file.hasSize() ? file.size() : outcome.totalSize();
        if (expectedSize >= 0 && size != expectedSize) {
            Files.delete(part);
            String source = file.hasSize() ? "the catalog" : "the size the server announced";
            throw new CorruptFile("got " + size + " bytes, expected " + expectedSize + " from " + source, size, source);
        }
        Verification verification = Verification.SIZE_ONLY;
        String expectedSha = file.sha256() != null ? file.sha256() : outcome.serverSha256();
        if (expectedSha != null) {
            listener.verifying(file);
            String actual = sha256(part);
            if (!actual.equals(expectedSha)) {
                Files.delete(part);
                String source = file.sha256() != null ? "the catalog" : "the sha256 the server announced";
                throw new CorruptFile("sha256 mismatch (expected " + expectedSha + " from " + source + ", got "
                        + actual + ")", size, source);
            }
            verification = file.sha256() != null ? Verification.SHA256_FROM_CATALOG : Verification.SHA256_FROM_SERVER;
        }
        emitProgress(file, true);
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        listener.fileInstalled(file, verification);
    }

    private void advance(CatalogFile file, long bytes) {
        doneBytes += bytes;
        emitProgress(file, false);
    }

    private void emitProgress(CatalogFile file, boolean force) {
        long now = System.nanoTime();
        if (lastProgressNanos == 0) {
            lastProgressNanos = now;
            lastProgressBytes = doneBytes;
        }
        long elapsed = now - lastProgressNanos;
        if (!force && elapsed < PROGRESS_INTERVAL_NANOS) {
            return;
        }
        if (elapsed > 0) {
            double instant = (doneBytes - lastProgressBytes) * 1e9 / elapsed;
            bytesPerSecond = bytesPerSecond == 0 ? instant : 0.3 * instant + 0.7 * bytesPerSecond;
        }
        lastProgressNanos = now;
        lastProgressBytes = doneBytes;
        long total = totalBytes();
        Duration remaining = total >= 0 && bytesPerSecond > 0
                ? Duration.ofMillis((long) ((total - doneBytes) * 1000 / bytesPerSecond)) : null;
        listener.progress(new DownloadProgress(file.path(), partSize(file), file.hasSize() ? file.size() : -1,
                doneBytes, total, bytesPerSecond, remaining));
    }

    private long totalBytes() {
        long total = 0;
        for (CatalogFile file : missing) {
            if (!file.hasSize()) {
                return -1;
            }
            total += file.size();
        }
        return total;
    }

    /**
     * Refuses the download before anything is written when the missing files do not fit on the disk: the sizes
     * the catalog knows plus, for the files it does not, the size the server announces (asked without reading
     * the body; a file the server announces no size for, or that cannot be asked about, counts as 0 here).
     */
    private void checkDiskSpace() throws DownloadException {
        long needed = bytesToFetch();
        long announced = 0;
        for (CatalogFile file : missing) {
            if (!file.hasSize()) {
                try {
                    announced += Math.max(0, fetcher.announcedSize(source(file), control) - partSize(file));
                } catch (IOException e) {
                    // unreachable now: fetching the file retries and says so
                }
            }
        }
        needed += announced;
        Path existing = folder.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        long usable;
        try {
            usable = existing == null ? Long.MAX_VALUE : Files.getFileStore(existing).getUsableSpace();
        } catch (IOException e) {
            return; // the disk cannot tell its free space: writing will say when it is full
        }
        if (needed > usable) {
            throw new DownloadException("not enough disk space for " + model.id() + " " + precisions + " in "
                    + folder + ": it needs " + ByteCount.format(needed)
                    + (announced > 0 ? " (" + ByteCount.format(announced) + " of it as the server announced)" : "")
                    + ", " + ByteCount.format(usable) + " are free");
        }
    }

    private void setState(DownloadState next) {
        if (state != next) {
            state = next;
            listener.stateChanged(next);
        }
    }

    private URI source(CatalogFile file) {
        String base = baseUrl.toString().replaceAll("/+$", "");
        return URI.create(base + "/" + model.repo() + "/resolve/" + model.revision() + "/" + file.path());
    }

    private Path target(CatalogFile file) {
        return folder.resolve(file.path());
    }

    private static Path partOf(Path target) {
        return target.resolveSibling(target.getFileName() + PART_SUFFIX);
    }

    private long partSize(CatalogFile file) {
        try {
            Path part = partOf(target(file));
            return Files.exists(part) ? Files.size(part) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static void deleteIfEmpty(Path part) throws IOException {
        if (Files.exists(part) && Files.size(part) == 0) {
            Files.delete(part);
        }
    }

    private static String keptMessage(Path part) {
        return Files.exists(part) ? "the partial file is kept, pull again to resume" : "nothing was kept";
    }

    private String describe(IOException e) {
        if (e instanceof ConnectException) {
            return "cannot connect to " + baseUrl.getHost() + (baseUrl.getPort() > 0 ? ":" + baseUrl.getPort() : "")
                    + " (" + e.getMessage() + ")";
        }
        if (e instanceof UnknownHostException) {
            return "unknown host " + e.getMessage() + " (offline?)";
        }
        if (e instanceof SocketTimeoutException) {
            return "the server stopped sending for " + options.readTimeout().toSeconds() + " s (stalled)";
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
