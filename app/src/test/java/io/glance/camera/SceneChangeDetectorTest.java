package io.glance.camera;

import io.glance.ui.ShapeScenes;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The same scene (with sensor noise) counts as unchanged; another scene, or a reset, counts as changed. */
class SceneChangeDetectorTest {
    private static final double THRESHOLD = 12.0;

    @Test
    void anUnchangedSceneIsNotDescribedAgainAChangedOneIs() {
        Mat scene = ShapeScenes.circleAndSquare(640, 360, 0);
        Mat noisy = scene.clone();
        Mat noise = new Mat(scene.size(), scene.type());
        Core.randn(noise, 0, 3);
        Core.add(noisy, noise, noisy);
        Mat moved = ShapeScenes.triangle(640, 360, ShapeScenes.GREEN);
        try (SceneChangeDetector detector = new SceneChangeDetector()) {
            assertTrue(detector.acceptIfChanged(scene, THRESHOLD), "the first picture is always new");
            assertFalse(detector.acceptIfChanged(scene, THRESHOLD), "the same picture");
            assertFalse(detector.acceptIfChanged(noisy, THRESHOLD), "the same scene with sensor noise");
            assertTrue(detector.acceptIfChanged(moved, THRESHOLD), "another scene");
            assertFalse(detector.acceptIfChanged(moved, THRESHOLD), "the new scene became the accepted one");
            detector.reset();
            assertTrue(detector.acceptIfChanged(moved, THRESHOLD), "after a reset the next picture is new");
        } finally {
            scene.release();
            noisy.release();
            noise.release();
            moved.release();
        }
    }

    @Test
    void aSmallLocalChangeStaysBelowTheThreshold() {
        Mat scene = ShapeScenes.circleAndSquare(640, 360, 0);
        Mat shifted = ShapeScenes.circleAndSquare(640, 360, 3);
        Mat blank = new Mat(360, 640, scene.type(), new Scalar(20, 20, 20));
        try (SceneChangeDetector detector = new SceneChangeDetector()) {
            detector.acceptIfChanged(scene, THRESHOLD);
            assertFalse(detector.acceptIfChanged(shifted, THRESHOLD), "the circle moved by 3 pixels");
            assertTrue(detector.acceptIfChanged(blank, THRESHOLD), "the lights went off");
        } finally {
            scene.release();
            shifted.release();
            blank.release();
        }
    }
}
