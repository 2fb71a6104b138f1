package io.glance.ui.viewer;

import io.glance.session.ImageRequest;
import io.glance.ui.ShapeScenes;
import io.glance.vision.DecodedImage;
import javafx.scene.image.Image;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Asking about a dragged rectangle hands the model a crop of exactly that rectangle (unmirrored), cut from the
 * full-resolution picture even where the live preview is scaled down to the view.
 */
@Tag("window")
class RegionQuestionTest {
    @TempDir
    Path temp;

    @BeforeAll
    static void startToolkit() throws Exception {
        FileCameraViewer.startToolkit();
    }

    @Test
    void theCropThatReachesTheModelHasTheRectanglesSize() throws Exception {
        DecodedImage crop = onFx(() -> {
            ViewerViewModel viewer = new ViewerViewModel(Runnable::run, Runnable::run, Runnable::run);
            Mat picture = new Mat(480, 640, CvType.CV_8UC3, new Scalar(0, 0, 0));
            picture.submat(240, 360, 160, 480).setTo(new Scalar(255, 255, 255));
            viewer.showPhoto(viewer.newStill("photo.png", new DecodedImage(picture)));
            ImageRequest whole = viewer.currentRequest();
            viewer.regionProperty().set(new RegionSelection(0.25, 0.5, 0.5, 0.25));
            ImageRequest region = viewer.currentRequest();
            assertNotEquals(whole.subjectId(), region.subjectId(), "a region is a new picture, not a follow-up");
            assertEquals("photo.png (region)", region.label());
            return region.loader().get();
        });
        try (crop) {
            assertEquals(320, crop.width());
            assertEquals(120, crop.height());
            assertEquals(255.0, org.opencv.core.Core.mean(crop.bgr()).val[0], 0.01, "exactly the white rectangle");
        }
    }

    @Test
    void aRegionOnAMirroredFrozenFrameIsCutFromTheUnmirroredPicture() throws Exception {
        DecodedImage crop = onFx(() -> {
            ViewerViewModel viewer = new ViewerViewModel(Runnable::run, Runnable::run, Runnable::run);
            Mat picture = new Mat(100, 200, CvType.CV_8UC3, new Scalar(0, 0, 0));
            picture.submat(0, 100, 0, 50).setTo(new Scalar(255, 255, 255));
            viewer.mirrorProperty().set(true);
            viewer.showPhoto(viewer.newStill("left edge white", new DecodedImage(picture)));
            viewer.regionProperty().set(new RegionSelection(0, 0, 0.25, 1));
            return viewer.currentRequest().loader().get();
        });
        try (crop) {
            assertEquals(50, crop.width());
            assertEquals(255.0, org.opencv.core.Core.mean(crop.bgr()).val[0], 0.01, "photos are never mirrored");
        }
    }

    @Test
    void aRegionOfTheScaledLivePreviewIsCutFromTheFullResolutionFrame() throws Exception {
        Path video = ShapeScenes.video(temp.resolve("camera.avi"), 640, 360, 30, 30);
        ViewerViewModel viewer = FileCameraViewer.started(video);
        try {
            Image preview = onFx(() -> viewer.pictureProperty().get());
            assertEquals(List.of(320.0, 180.0), List.of(preview.getWidth(), preview.getHeight()),
                    "the preview is scaled to fit the view");
            ImageRequest region = onFx(() -> {
                viewer.regionProperty().set(new RegionSelection(0.25, 0.5, 0.5, 0.25));
                return viewer.currentRequest();
            });
            try (DecodedImage crop = region.loader().get()) {
                assertEquals(List.of(320, 90), List.of(crop.width(), crop.height()),
                        "a quarter of the 640×360 frame's height and half its width, not of the preview");
            }
        } finally {
            FileCameraViewer.close(viewer);
        }
    }

    private static <T> T onFx(Callable<T> action) throws Exception {
        return FileCameraViewer.onFx(action);
    }
}
