package io.glance.library;

import io.glance.TestModels;
import io.glance.model.ContrastiveGraph;
import io.glance.embedding.EmbeddingModel;
import io.glance.generation.Cancellation;
import io.glance.generation.GenerationException;
import io.glance.vision.OpenCvLibrary;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Incremental captioning: what a re-run keeps, what it captions again, resuming, and files it must skip. */
class CaptionRunTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void loadOpenCv() {
        OpenCvLibrary.ensureLoaded();
    }

    private Path image(String name, int width, int height, double blue) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Mat pixels = new Mat(height, width, CvType.CV_8UC3, new Scalar(blue, 100, 50));
        assertTrue(Imgcodecs.imwrite(file.toString(), pixels));
        pixels.release();
        return file;
    }

    private LibraryIndex index() throws IOException {
        return LibraryIndex.open(dir.resolve(LibraryIndex.DEFAULT_FILE_NAME), dir);
    }

    /** The index as saved on disk, read afresh. */
    private LibraryIndex saved() throws IOException {
        return LibraryIndex.read(dir.resolve(LibraryIndex.DEFAULT_FILE_NAME));
    }

    private static CaptionSummary run(LibraryIndex index, Captioner captioner) throws IOException {
        return new CaptionRun(index, captioner, false).run(progress -> { }, new Cancellation());
    }

    @Test
    void firstRunCaptionsEveryImageWithItsFileFactsAndAReRunCaptionsNone() throws Exception {
        Path a = image("a.png", 40, 30, 0);
        image("b.jpg", 50, 20, 100);
        image("c.bmp", 16, 16, 200);
        Files.writeString(dir.resolve("notes.txt"), "not an image");
        Files.writeString(dir.resolve(".hidden.txt"), "hidden files are left out");
        ScriptedCaptioner captioner = new ScriptedCaptioner("Describe the image.");

        CaptionSummary first = run(index(), captioner);
        assertEquals(3, first.files());
        assertEquals(3, first.captioned());
        assertFalse(first.cancelled());
        IndexedImage saved = saved().image("a.png").orElseThrow();
        assertEquals(40, saved.width());
        assertEquals(30, saved.height());
        assertEquals(Files.size(a), saved.sizeBytes());
        assertEquals(Files.getLastModifiedTime(a).toMillis(), saved.modifiedMillis());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(a))),
                saved.sha256());
        assertEquals("scripted", saved.model());
        assertEquals("fp32", saved.precision());
        assertEquals("Describe the image.", saved.prompt());
        assertTrue(saved.caption().startsWith("caption "));
        assertFalse(saved.captionedAt().isEmpty());

        assertEquals(List.of(new SkippedFile("notes.txt", CaptionRun.NOT_AN_IMAGE)), first.skipped());
        assertTrue(CaptionRun.NOT_AN_IMAGE.contains(".png"), CaptionRun.NOT_AN_IMAGE);

        CaptionSummary second = run(index(), captioner);
        assertEquals(List.of(new SkippedFile("notes.txt", CaptionRun.NOT_AN_IMAGE)), second.skipped(),
                "the index's own file, now written, is not listed");
        assertEquals(0, second.captioned());
        assertEquals(3, second.unchanged());
        assertEquals(3, captioner.calls());
    }

    @Test
    void aTouchedFileWithTheSameBytesKeepsItsCaptionAndAChangedFileIsCaptionedAgain() throws Exception {
        Path a = image("a.png", 40, 30, 0);
        Path b = image("b.png", 40, 30, 100);
        ScriptedCaptioner captioner = new ScriptedCaptioner("Describe the image.");
        run(index(), captioner);
        String captionOfA = saved().image("a.png").orElseThrow().caption();

        FileTime later = FileTime.fromMillis(Files.getLastModifiedTime(a).toMillis() + 60_000);
        Files.setLastModifiedTime(a, later);
        image("b.png", 64, 48, 250);
        CaptionSummary summary = run(index(), captioner);

        assertEquals(1, summary.captioned());
        assertEquals(1, summary.unchanged());
        IndexedImage touched = saved().image("a.png").orElseThrow();
        assertEquals(captionOfA, touched.caption());
        assertEquals(later.toMillis(), touched.modifiedMillis());
        IndexedImage changed = saved().image("b.png").orElseThrow();
        assertEquals(64, changed.width());
        assertEquals(Files.size(b), changed.sizeBytes());
        assertEquals(3, captioner.calls());
    }

    @Test
    void anotherPromptOrModelCaptionsAgain() throws Exception {
        image("a.png", 40, 30, 0);
        run(index(), new ScriptedCaptioner("Describe the image."));
        CaptionSummary summary = run(index(), new ScriptedCaptioner("What is in the picture?"));
        assertEquals(1, summary.captioned());
        assertEquals("What is in the picture?", saved().image("a.png").orElseThrow().prompt());
    }

    @Test
    void aRunCancelledAfterSomeFilesKeepsThemAndTheNextRunCaptionsOnlyTheRest() throws Exception {
        for (int i = 0; i < 5; i++) {
            image("scene" + i + ".png", 32, 32, i * 40);
        }
        ScriptedCaptioner captioner = new ScriptedCaptioner("Describe the image.");
        Cancellation cancel = new Cancellation();
        CaptionSummary stopped = new CaptionRun(index(), captioner, false)
                .run(progress -> {
                    if (progress.done() == 2) {
                        cancel.cancel();
                    }
                }, cancel);
        assertTrue(stopped.cancelled());
        assertEquals(2, stopped.captioned());
        assertEquals(2, saved().images().size());

        CaptionSummary resumed = run(index(), captioner);
        assertEquals(3, resumed.captioned());
        assertEquals(2, resumed.unchanged());
        assertEquals(5, saved().images().size());
        assertEquals(5, captioner.calls());
    }

    @Test
    void theImageInFlightWhenCancelledIsNotRecorded() throws Exception {
        for (int i = 0; i < 4; i++) {
            image("scene" + i + ".png", 32, 32, i * 40);
        }
        Cancellation cancel = new Cancellation();
        ScriptedCaptioner captioner = new ScriptedCaptioner("Describe the image.").during((call, c) -> {
            if (call == 3) {
                cancel.cancel();
            }
        });
        CaptionSummary stopped = new CaptionRun(index(), captioner, false).run(progress -> { }, cancel);
        assertTrue(stopped.cancelled());
        assertEquals(2, stopped.captioned());
        assertEquals(List.of("scene0.png", "scene1.png"), paths(saved().images()));
    }

    @Test
    void theIndexIsSavedDuringALongRunNotOnlyAtTheEnd() throws Exception {
        int files = CaptionRun.SAVE_EVERY_FILES + 2;
        for (int i = 0; i < files; i++) {
            image(String.format("scene%02d.png", i), 16, 16, i * 10);
        }
        int[] savedWhileRunning = new int[1];
        new CaptionRun(index(), new ScriptedCaptioner("Describe the image."), false).run(progress -> {
            if (progress.done() == files - 1) {
                try {
                    savedWhileRunning[0] = saved().images().size();
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }
        }, new Cancellation());
        assertTrue(savedWhileRunning[0] >= CaptionRun.SAVE_EVERY_FILES, "saved " + savedWhileRunning[0]);
    }

    @Test
    void badFilesAreListedAsSkippedWithTheReasonAndTheRunGoesOn() throws Exception {
        Path corrupt = image("corrupt.png", 64, 64, 0);
        byte[] whole = Files.readAllBytes(corrupt);
        Files.write(corrupt, Arrays.copyOf(whole, whole.length / 2));
        Files.writeString(dir.resolve("not-an-image.jpg"), "just text", StandardCharsets.UTF_8);
        image("locked.png", 32, 32, 50);
        image("fails.png", 33, 33, 60);
        image("good.png", 32, 32, 90);
        // Tests run as root, which reads any file whatever its mode: the permission error is injected instead.
        CaptionRun.FileContents contents = file -> {
            if (file.getFileName().toString().equals("locked.png")) {
                throw new AccessDeniedException(file.toString());
            }
            return Files.readAllBytes(file);
        };
        ScriptedCaptioner captioner = new ScriptedCaptioner("Describe the image.").during((call, cancel) -> {
            if (call == 1) {
                throw new GenerationException("the decoder failed");
            }
        });

        CaptionSummary summary = new CaptionRun(index(), captioner, null, false, contents)
                .run(progress -> { }, new Cancellation());

        assertEquals(5, summary.files());
        assertEquals(1, summary.captioned());
        Map<String, String> reasons = summary.skipped().stream()
                .collect(Collectors.toMap(SkippedFile::path, SkippedFile::reason));
        assertEquals(4, reasons.size(), reasons.toString());
        assertTrue(reasons.get("corrupt.png").contains("corrupt"), reasons.get("corrupt.png"));
        assertTrue(reasons.get("not-an-image.jpg").contains("not a supported image"), reasons.get("not-an-image.jpg"));
        assertEquals("cannot read: permission denied", reasons.get("locked.png"));
        assertTrue(reasons.get("fails.png").contains("the decoder failed"), reasons.get("fails.png"));
        assertEquals(summary.skipped(), saved().skipped());
        assertEquals(List.of("good.png"), paths(saved().images()));
    }

    @Test
    void captionsOfDeletedFilesAreDropped() throws Exception {
        Path a = image("a.png", 16, 16, 0);
        image("b.png", 16, 16, 90);
        ScriptedCaptioner captioner = new ScriptedCaptioner("Describe the image.");
        run(index(), captioner);
        Files.delete(a);
        CaptionSummary summary = run(index(), captioner);
        assertEquals(1, summary.removed());
        assertEquals(List.of("b.png"), paths(saved().images()));
    }

    @Test
    void subFoldersOnlyWhenRecursiveAndHiddenOnesNever() throws Exception {
        image("top.png", 16, 16, 0);
        image("trip/day1/beach.png", 16, 16, 90);
        image(".thumbnails/top.png", 8, 8, 10);
        ScriptedCaptioner captioner = new ScriptedCaptioner("Describe the image.");
        run(index(), captioner);
        assertEquals(List.of("top.png"), paths(saved().images()));

        CaptionSummary recursive = new CaptionRun(index(), captioner, true).run(progress -> { }, new Cancellation());
        assertEquals(1, recursive.captioned());
        assertEquals(List.of("top.png", "trip/day1/beach.png"), paths(saved().images()));
    }

    @Test
    void progressCountsOnlyTheFilesToLookAt() throws Exception {
        image("a.png", 16, 16, 0);
        image("b.png", 16, 16, 90);
        ScriptedCaptioner captioner = new ScriptedCaptioner("Describe the image.");
        run(index(), captioner);
        image("c.png", 16, 16, 180);
        List<CaptionProgress> reports = new ArrayList<>();
        new CaptionRun(index(), captioner, false).run(reports::add, new Cancellation());
        assertEquals(2, reports.size());
        assertEquals(0, reports.get(0).done());
        assertEquals(1, reports.get(0).total());
        CaptionProgress last = reports.get(1);
        assertEquals(1, last.done());
        assertEquals("c.png", last.lastFile());
        assertTrue(last.imagesPerMinute() > 0);
        assertEquals(Duration.ZERO, last.timeLeft().orElseThrow());
    }

    private static List<String> paths(List<IndexedImage> images) {
        return images.stream().map(IndexedImage::path).toList();
    }

    @Test
    void embeddingsAreStoredBesideCaptionsAndAnEmbeddingsOnlyRunKeepsTheCaptions() throws Exception {
        image("a.png", 40, 30, 0);
        image("b.png", 40, 30, 250);
        ScriptedCaptioner captioner = new ScriptedCaptioner("Describe the image.");
        run(index(), captioner);
        try (EmbeddingModel clip = TestModels.tinyClip(ContrastiveGraph.VISION)) {
            CaptionSummary embedded = new CaptionRun(index(), null, clip, false).run(progress -> { }, new Cancellation());
            assertEquals(2, embedded.captioned());
            assertEquals(2, captioner.calls(), "an embeddings-only run asks the captioner nothing");
            IndexedImage a = saved().image("a.png").orElseThrow();
            assertTrue(a.caption().startsWith("caption "), "the caption is kept");
            assertEquals(clip.id(), a.embeddingModel());
            float[] vector = a.vector().orElseThrow();
            double norm = 0;
            for (float v : vector) {
                norm += v * v;
            }
            assertEquals(1.0, norm, 1e-5, "stored unit length");
            assertFalse(Arrays.equals(vector, saved().image("b.png").orElseThrow().vector().orElseThrow()),
                    "another picture, another embedding");

            CaptionSummary again = new CaptionRun(index(), captioner, clip, false).run(progress -> { }, new Cancellation());
            assertEquals(0, again.captioned());
            assertEquals(2, again.unchanged());
            assertEquals(2, captioner.calls());

            image("b.png", 48, 30, 120);
            CaptionSummary changed = new CaptionRun(index(), null, clip, false).run(progress -> { }, new Cancellation());
            assertEquals(1, changed.captioned());
            IndexedImage b = saved().image("b.png").orElseThrow();
            assertNull(b.caption(), "a changed picture's old caption no longer describes it");
            assertTrue(b.embeddedWith(clip.id()));
            LibraryIndex reread = saved();
            try (LibrarySearch search = new LibrarySearch(reread)) {
                assertEquals(List.of("b.png"), search.similarTo("a.png", 5).stream().map(hit -> hit.image().path()).toList());
            }
        }
    }
}
