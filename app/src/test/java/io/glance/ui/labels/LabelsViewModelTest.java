package io.glance.ui.labels;

import io.glance.TestModels;
import io.glance.model.ContrastiveGraph;
import io.glance.session.EmbeddingService;
import io.glance.session.ImageOrigin;
import io.glance.session.ImageRequest;
import io.glance.vision.ImageDecoder;
import io.glance.vision.ImageLoadException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The labels loop on the tiny CLIP: every typed label gets a probability, best first, one frame at a time; the rate
 * is capped; the watched label is reported once when it becomes the best; no picture or no labels stop it with a
 * message. UI updates are run by the test thread from a queue, as the FX thread would run them.
 */
class LabelsViewModelTest {
    private static final Path IMAGES = TestModels.repoRoot().resolve("scripts/reference/images");
    private final ExecutorService thread = Executors.newSingleThreadExecutor();
    private final BlockingQueue<Runnable> ui = new LinkedBlockingQueue<>();
    private final EmbeddingService service = new EmbeddingService(thread,
            () -> TestModels.tinyClip(ContrastiveGraph.COMBINED));
    private final AtomicInteger framesTaken = new AtomicInteger();

    @AfterEach
    void stop() throws InterruptedException {
        service.close();
        thread.shutdown();
        assertTrue(thread.awaitTermination(10, TimeUnit.SECONDS));
    }

    private ImageRequest frame() {
        framesTaken.incrementAndGet();
        return new ImageRequest("frame", "camera", ImageOrigin.CAMERA, () -> {
            try {
                return new ImageDecoder().decode(IMAGES.resolve("exact-56x84.png"));
            } catch (ImageLoadException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Runs UI updates until {@code updates} have run. */
    private void runUi(int updates) throws InterruptedException {
        for (int i = 0; i < updates; i++) {
            Runnable update = ui.poll(20, TimeUnit.SECONDS);
            assertNotNull(update, "a result arrives");
            update.run();
        }
    }

    @Test
    void everyLabelGetsAProbabilityBestFirstAndTheWatchedOneIsReportedOnce() throws Exception {
        AtomicLong now = new AtomicLong();
        LabelsViewModel labels = new LabelsViewModel(service, this::frame, ui::add, now::get);
        labels.labelsProperty().set(" red circle, blue square,, a cat , red circle");
        assertEquals(List.of("red circle", "blue square", "a cat"), labels.labelList());
        labels.activeProperty().set(true);
        runUi(1);
        List<LabelRow> first = List.copyOf(labels.scores());
        assertEquals(3, first.size());
        assertTrue(first.get(0).probability() >= first.get(1).probability()
                && first.get(1).probability() >= first.get(2).probability(), first.toString());
        assertEquals(1.0, first.stream().mapToDouble(LabelRow::probability).sum(), 1e-5, "CLIP: softmax over the labels");
        assertEquals("", labels.watchReportProperty().get());

        labels.watchedProperty().set(first.get(0).label());
        runUi(1);
        boolean reachable = first.get(0).probability() >= LabelsViewModel.WATCH_PROBABILITY;
        assertEquals(reachable, labels.watchReportProperty().get().startsWith("It is " + first.get(0).label()),
                labels.watchReportProperty().get());
        assertEquals(3, framesTaken.get(), "two results and one frame in flight: a new frame only when the last result is in");

        labels.activeProperty().set(false);
        runUi(1);
        assertTrue(labels.scores().isEmpty(), "off clears the bars");
    }

    @Test
    void noPictureOrNoLabelsStopWithAMessage() throws Exception {
        LabelsViewModel noPicture = new LabelsViewModel(service, () -> null, ui::add);
        noPicture.activeProperty().set(true);
        assertFalse(noPicture.activeProperty().get());
        assertTrue(noPicture.messageProperty().get().startsWith("No picture to label"), noPicture.messageProperty().get());

        LabelsViewModel noLabels = new LabelsViewModel(service, this::frame, ui::add);
        noLabels.labelsProperty().set(" , ");
        noLabels.activeProperty().set(true);
        assertFalse(noLabels.activeProperty().get());
        assertEquals("Type the labels, separated by commas.", noLabels.messageProperty().get());
        assertEquals(0, framesTaken.get());
    }

    @Test
    void aFailingModelSaysWhyAndStops() throws Exception {
        EmbeddingService broken = new EmbeddingService(thread, () -> {
            throw new IllegalStateException("model folder x is missing config.json");
        });
        LabelsViewModel labels = new LabelsViewModel(broken, this::frame, ui::add);
        labels.activeProperty().set(true);
        runUi(1);
        assertFalse(labels.activeProperty().get());
        assertEquals("Labels failed: model folder x is missing config.json", labels.messageProperty().get());
    }
}
