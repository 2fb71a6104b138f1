package io.glance.model.download;

import io.glance.model.ModelFolder;
import io.glance.model.Precision;
import io.glance.model.PrecisionSet;
import io.glance.model.catalog.CatalogFile;
import io.glance.model.catalog.CatalogModel;
import io.glance.model.catalog.ModelCatalog;
import io.glance.model.store.ModelStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Downloads the tiny test model from a loopback server that drops, stalls and corrupts on request. */
@Timeout(60)
class ModelDownloadTest {
    private static final PrecisionSet Q4 = PrecisionSet.uniform(Precision.Q4);
    private static final String DECODER = "onnx/decoder_model_merged_q4.onnx";
    private static final String EMBED = "onnx/embed_tokens_q4.onnx";

    @TempDir
    Path temp;

    private LoopbackModelServer server;
    private ModelStore store;
    private final List<String> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startServer() throws Exception {
        server = new LoopbackModelServer(TinyModelCatalog.FOLDER, TinyModelCatalog.REPO, TinyModelCatalog.REVISION);
        store = new ModelStore(temp.resolve("models"));
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void downloadsEveryFileOfThePrecisionSetAndVerifiesIt() throws Exception {
        assertEquals(DownloadState.DONE, download(catalogModel(p -> true)).run());

        Path folder = store.folderOf(TinyModelCatalog.ID);
        ModelFolder.open(folder).graphFiles(Q4);
        assertSameAsServed(DECODER);
        assertTrue(events.contains("installed " + DECODER + " SHA256_FROM_CATALOG"), events.toString());
        assertFalse(Files.exists(folder.resolve("onnx/decoder_model_merged.onnx")), "fp32 was not asked for");
        assertNoPartFiles(folder);
    }

    @Test
    void droppedConnectionIsResumedWithRangeToAVerifiedFile() throws Exception {
        server.cutOnceAfter(DECODER, 300_000);

        assertEquals(DownloadState.DONE, download(catalogModel(p -> true)).run());

        assertSameAsServed(DECODER);
        assertTrue(server.requests().contains(new LoopbackModelServer.Request(path(DECODER), "bytes=300000-")),
                server.requests().toString());
        assertTrue(events.stream().anyMatch(e -> e.startsWith("retry " + DECODER)), events.toString());
    }

    @Test
    void partialFileLeftByAnEarlierRunIsContinued() throws Exception {
        Path part = store.folderOf(TinyModelCatalog.ID).resolve(DECODER + ModelDownload.PART_SUFFIX);
        Files.createDirectories(part.getParent());
        byte[] whole = Files.readAllBytes(TinyModelCatalog.FOLDER.resolve(DECODER));
        Files.write(part, java.util.Arrays.copyOf(whole, 123_456));

        download(catalogModel(p -> true)).run();

        assertSameAsServed(DECODER);
        assertTrue(events.contains("start " + DECODER + " at 123456"), events.toString());
        assertTrue(server.requests().contains(new LoopbackModelServer.Request(path(DECODER), "bytes=123456-")));
    }

    @Test
    void stalledConnectionTimesOutAndIsRetried() throws Exception {
        server.stallOnceAfter(DECODER, 200_000);

        download(catalogModel(p -> true)).run();

        assertSameAsServed(DECODER);
        assertTrue(events.stream().anyMatch(e -> e.startsWith("retry " + DECODER) && e.contains("stalled")),
                events.toString());
    }

    @Test
    void corruptedFileIsRejectedAndNotLeftInPlace() {
        server.corrupt(DECODER);

        DownloadException e = assertThrows(DownloadException.class, () -> download(catalogModel(p -> true)).run());

        assertTrue(e.getMessage().contains("sha256 mismatch") && e.getMessage().contains(DECODER)
                && e.getMessage().contains("again from the start"), e.getMessage());
        Path target = store.folderOf(TinyModelCatalog.ID).resolve(DECODER);
        assertFalse(Files.exists(target));
        assertFalse(Files.exists(target.resolveSibling(target.getFileName() + ModelDownload.PART_SUFFIX)));
    }

    @Test
    void aFileThatFailsItsChecksumOnceIsDownloadedAgainFromTheStart() throws Exception {
        server.cutOnceAfter(DECODER, 300_000);
        server.corruptOnce(DECODER);

        assertEquals(DownloadState.DONE, download(catalogModel(p -> true)).run());

        assertSameAsServed(DECODER);
        assertTrue(events.stream().anyMatch(e -> e.startsWith("retry " + DECODER) && e.contains("sha256 mismatch")
                && e.contains("again from the start")), events.toString());
        assertTrue(events.stream().noneMatch(e -> e.indexOf(DECODER) != e.lastIndexOf(DECODER)),
                "the retry reason names the file a second time: " + events);
        long fromTheStart = server.requests().stream()
                .filter(r -> r.path().equals(path(DECODER)) && r.range() == null).count();
        assertEquals(2, fromTheStart, server.requests().toString());
        assertNoPartFiles(store.folderOf(TinyModelCatalog.ID));
    }

    @Test
    void serverSha256IsUsedWhenTheCatalogHasNone() throws Exception {
        server.linkedEtag(DECODER, TinyModelCatalog.sha256(TinyModelCatalog.FOLDER.resolve(DECODER)));
        server.corrupt(DECODER);

        DownloadException e = assertThrows(DownloadException.class, () -> download(catalogModel(p -> false)).run());

        assertTrue(e.getMessage().contains("from the sha256 the server announced"), e.getMessage());
        assertFalse(e.getMessage().contains("catalog"), "the catalog had no sha256 to differ from: " + e.getMessage());
        assertTrue(events.contains("installed config.json SIZE_ONLY"), events.toString());
    }

    @Test
    void theHubsRedirectToItsCdnIsFollowedKeepingTheHubsChecksumAndResumingAtTheCdn() throws Exception {
        try (LoopbackModelServer cdn = new LoopbackModelServer(TinyModelCatalog.FOLDER, TinyModelCatalog.REPO,
                TinyModelCatalog.REVISION)) {
            server.redirectTo(cdn.baseUrl().toString());
            server.linkedEtag(DECODER, TinyModelCatalog.sha256(TinyModelCatalog.FOLDER.resolve(DECODER)));
            cdn.cutOnceAfter(DECODER, 300_000);

            assertEquals(DownloadState.DONE, download(catalogModel(p -> false)).run());

            assertSameAsServed(DECODER);
            assertTrue(events.contains("installed " + DECODER + " SHA256_FROM_SERVER"), events.toString());
            assertTrue(cdn.requests().contains(new LoopbackModelServer.Request(path(DECODER), "bytes=300000-")),
                    cdn.requests().toString());
        }
    }

    @Test
    void aRedirectToAnythingButHttpIsRefused() throws Exception {
        server.redirectTo("file:///etc");

        DownloadException e = assertThrows(DownloadException.class, () -> download(catalogModel(p -> true)).run());

        assertTrue(e.getMessage().contains("refusing redirect") && e.getMessage().contains(" to file:///etc/"), e.getMessage());
    }

    @Test
    void unreachableServerGivesAClearErrorAfterBoundedRetries() throws Exception {
        CatalogModel model = catalogModel(p -> true);
        server.close();

        DownloadException e = assertThrows(DownloadException.class, () -> download(model).run());

        assertTrue(e.getMessage().contains("cannot connect to 127.0.0.1:") && e.getMessage().contains("3 attempts"),
                e.getMessage());
    }

    @Test
    void secondPullOfAnInstalledModelDoesNothing() throws Exception {
        download(catalogModel(p -> true)).run();
        int requests = server.requests().size();

        ModelDownload again = download(catalogModel(p -> true));

        assertTrue(again.missingFiles().isEmpty());
        assertEquals(DownloadState.DONE, again.run());
        assertEquals(requests, server.requests().size());
    }

    @Test
    void notEnoughDiskSpaceStopsBeforeAnyRequest() throws Exception {
        CatalogModel huge = ModelCatalog.load(TinyModelCatalog.write(temp.resolve("huge.json"), p -> true,
                Long.MAX_VALUE / 4)).find(TinyModelCatalog.ID).orElseThrow();

        DownloadException e = assertThrows(DownloadException.class, () -> download(huge).run());

        assertTrue(e.getMessage().contains("not enough disk space"), e.getMessage());
        assertTrue(server.requests().isEmpty());
    }

    @Test
    void notEnoughDiskSpaceStopsBeforeAnyRequestAndLeavesNoFolder() throws Exception {
        CatalogModel huge = ModelCatalog.load(TinyModelCatalog.write(temp.resolve("huge.json"), p -> true,
                Long.MAX_VALUE / 4)).find(TinyModelCatalog.ID).orElseThrow();

        assertThrows(DownloadException.class, () -> download(huge).run());

        assertFalse(Files.exists(store.folderOf(TinyModelCatalog.ID)), "a refused pull leaves no folder");
    }

    @Test
    void withSizesMissingFromTheCatalogTheServersContentLengthDecidesBeforeAnythingIsWritten() throws Exception {
        CatalogModel sizeless = ModelCatalog.load(TinyModelCatalog.write(temp.resolve("sizeless.json"), p -> true,
                -1, p -> false)).find(TinyModelCatalog.ID).orElseThrow();
        server.announceLength(DECODER, Long.MAX_VALUE / 4);
        ModelDownload download = download(sizeless);
        assertEquals(0, download.bytesToFetch());
        assertEquals(download.missingFiles().size(), download.filesWithoutSize());

        DownloadException e = assertThrows(DownloadException.class, download::run);

        Path folder = store.folderOf(TinyModelCatalog.ID);
        assertTrue(e.getMessage().startsWith("not enough disk space for " + TinyModelCatalog.ID + " q4 in " + folder),
                e.getMessage());
        assertTrue(e.getMessage().contains("as the server announced") && e.getMessage().contains(" are free"),
                e.getMessage());
        assertFalse(Files.exists(folder), "nothing is written and no folder is left");
        assertTrue(server.requests().stream().allMatch(r -> r.range() == null), server.requests().toString());
    }

    @Test
    void withSizesMissingFromTheCatalogAFittingModelIsDownloaded() throws Exception {
        CatalogModel sizeless = ModelCatalog.load(TinyModelCatalog.write(temp.resolve("sizeless.json"), p -> true,
                -1, p -> false)).find(TinyModelCatalog.ID).orElseThrow();

        assertEquals(DownloadState.DONE, download(sizeless).run());

        assertSameAsServed(DECODER);
    }

    @Test
    void aServerThatStallsEveryTimeIsGivenUpInBoundedTimeKeepingNoEmptyFile() throws Exception {
        server.stallEveryTimeAfter(DECODER, 0);
        ModelDownload download = download(catalogModel(p -> true));

        long start = System.nanoTime();
        DownloadException e = assertThrows(DownloadException.class, download::run);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertTrue(e.getMessage().startsWith(DECODER + ": the server stopped sending"), e.getMessage());
        assertTrue(e.getMessage().contains("(stalled) (gave up after 3 attempts; nothing was kept)"), e.getMessage());
        Path target = store.folderOf(TinyModelCatalog.ID).resolve(DECODER);
        assertFalse(Files.exists(target.resolveSibling(target.getFileName() + ModelDownload.PART_SUFFIX)));
        // about 3 reads of 0.4 s and 2 short backoffs; a generous bound against a hang, not a speed goal
        assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "gave up after " + took);
    }

    @Test
    void theDefaultsGiveUpOnAStalledServerWithinNinetySeconds() {
        DownloadOptions defaults = DownloadOptions.defaults(server.baseUrl());
        assertEquals(Duration.ofSeconds(87), defaults.stalledServerGivesUpAfter());
        assertEquals(Duration.ofMillis(3 * 400 + 10 + 20),
                new DownloadOptions(server.baseUrl(), Duration.ofSeconds(2), Duration.ofMillis(400), 3,
                        Duration.ofMillis(10)).stalledServerGivesUpAfter());
    }

    @Test
    void pauseKeepsThePartialFileAndResumeFinishesIt() throws Exception {
        server.throttle(5);
        ModelDownload download = download(catalogModel(p -> true));
        events.clear();
        CompletableFuture<DownloadState> result = CompletableFuture.supplyAsync(() -> runUnchecked(download));
        awaitEvent("progress " + EMBED);
        download.pause();
        awaitEvent("state PAUSED");
        Path part = store.folderOf(TinyModelCatalog.ID).resolve(EMBED + ModelDownload.PART_SUFFIX);
        long kept = Files.size(part);
        Thread.sleep(200);
        assertEquals(kept, Files.size(part), "nothing is written while paused");
        server.throttle(0);
        download.resume();

        assertEquals(DownloadState.DONE, result.get(30, TimeUnit.SECONDS));
        assertSameAsServed(EMBED);
    }

    @Test
    void cancelStopsAndDeletesThePartialFile() throws Exception {
        server.throttle(5);
        ModelDownload download = download(catalogModel(p -> true));
        CompletableFuture<DownloadState> result = CompletableFuture.supplyAsync(() -> runUnchecked(download));
        awaitEvent("progress " + EMBED);
        download.cancel();

        assertEquals(DownloadState.CANCELLED, result.get(30, TimeUnit.SECONDS));
        Path target = store.folderOf(TinyModelCatalog.ID).resolve(EMBED);
        assertFalse(Files.exists(target.resolveSibling(target.getFileName() + ModelDownload.PART_SUFFIX)));
        assertFalse(Files.exists(target));
    }

    private ModelDownload download(CatalogModel model) {
        DownloadOptions options = new DownloadOptions(server.baseUrl(), Duration.ofSeconds(2),
                Duration.ofMillis(400), 3, Duration.ofMillis(10));
        return new ModelDownloader(store, options).prepare(model, Q4, new DownloadListener() {
            @Override
            public void stateChanged(DownloadState state) {
                events.add("state " + state);
            }

            @Override
            public void fileStarted(CatalogFile file, long resumedFrom) {
                events.add("start " + file.path() + " at " + resumedFrom);
            }

            @Override
            public void progress(DownloadProgress progress) {
                events.add("progress " + progress.file());
            }

            @Override
            public void fileInstalled(CatalogFile file, Verification verification) {
                events.add("installed " + file.path() + " " + verification);
            }

            @Override
            public void retrying(CatalogFile file, int attempt, Duration delay, String reason) {
                events.add("retry " + file.path() + " " + reason);
            }
        });
    }

    private CatalogModel catalogModel(java.util.function.Predicate<String> withSha256) throws Exception {
        Path file = TinyModelCatalog.write(temp.resolve("catalog.json"), withSha256, -1);
        return ModelCatalog.load(file).find(TinyModelCatalog.ID).orElseThrow();
    }

    private void awaitEvent(String event) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!events.contains(event)) {
            assertTrue(System.nanoTime() < end, "no '" + event + "' in " + events);
            Thread.sleep(5);
        }
    }

    private static DownloadState runUnchecked(ModelDownload download) {
        try {
            return download.run();
        } catch (DownloadException e) {
            throw new IllegalStateException(e);
        }
    }

    private void assertSameAsServed(String path) throws Exception {
        assertArrayEquals(Files.readAllBytes(TinyModelCatalog.FOLDER.resolve(path)),
                Files.readAllBytes(store.folderOf(TinyModelCatalog.ID).resolve(path)));
    }

    private static void assertNoPartFiles(Path folder) throws Exception {
        try (var paths = Files.walk(folder)) {
            assertTrue(paths.noneMatch(p -> p.toString().endsWith(ModelDownload.PART_SUFFIX)));
        }
    }

    private static String path(String file) {
        return "/" + TinyModelCatalog.REPO + "/resolve/" + TinyModelCatalog.REVISION + "/" + file;
    }
}
