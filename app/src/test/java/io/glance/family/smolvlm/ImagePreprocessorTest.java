package io.glance.family.smolvlm;

import io.glance.TestModels;
import io.glance.model.ModelFolder;
import io.glance.vision.DecodedImage;
import io.glance.vision.OpenCvLibrary;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Tile layouts and pixel values of the Idefics3 preprocessing, with the real 256M settings. */
class ImagePreprocessorTest {
    private static SmolVlmImageSettings real;

    @BeforeAll
    static void setUp() throws Exception {
        OpenCvLibrary.ensureLoaded();
        real = SmolVlmImageSettings.read(ModelFolder.open(TestModels.referenceConfigs()));
    }

    @Test
    void tileLayoutsFollowTheReferenceArithmetic() {
        ImagePreprocessor preprocessor = new ImagePreprocessor(real);
        assertEquals(new TileLayout(3, 4, 64), preprocessor.layoutFor(640, 480), "landscape");
        assertEquals(new TileLayout(4, 3, 64), preprocessor.layoutFor(480, 640), "portrait");
        assertEquals(new TileLayout(4, 4, 64), preprocessor.layoutFor(512, 512), "square");
        assertEquals(new TileLayout(3, 4, 64), preprocessor.layoutFor(5, 3), "tiny images are upscaled first");
        assertEquals(new TileLayout(3, 4, 64), preprocessor.layoutFor(1920, 1080), "16:9");
        assertEquals(new TileLayout(1, 4, 64), preprocessor.layoutFor(4000, 300), "panorama");
    }

    @Test
    void overridesChangeTheLayout() {
        assertEquals(new TileLayout(0, 0, 64), new ImagePreprocessor(real.withOverrides(false, null)).layoutFor(640, 480));
        assertEquals(new TileLayout(0, 0, 64), new ImagePreprocessor(real.withOverrides(true, 512)).layoutFor(640, 480),
                "an image that fits one tile is not split");
        assertEquals(new TileLayout(2, 2, 64), new ImagePreprocessor(real.withOverrides(true, 1024)).layoutFor(640, 480));
    }

    @Test
    void pixelsAreRgbPlanesNormalizedToMinusOneToOne() {
        ImagePreprocessor preprocessor = new ImagePreprocessor(real.withOverrides(false, null));
        // BGR (0, 0, 255) is pure red.
        try (DecodedImage red = new DecodedImage(new Mat(300, 400, CvType.CV_8UC3, new Scalar(0, 0, 255)))) {
            PixelBatch batch = preprocessor.preprocess(List.of(red));
            int plane = 512 * 512;
            assertEquals(1, batch.count());
            assertEquals(3 * plane, batch.pixels().remaining());
            assertEquals(1f, batch.pixels().get(0), 1e-6, "R plane first");
            assertEquals(-1f, batch.pixels().get(plane + 1000), 1e-6, "G plane");
            assertEquals(-1f, batch.pixels().get(2 * plane + 5000), 1e-6, "B plane");
        }
    }

    @Test
    void tilesAreRowMajorAndTheGlobalImageComesLast() {
        ImagePreprocessor preprocessor = new ImagePreprocessor(real.withOverrides(true, 1024));
        // Left half blue, right half green, 2x2 tiles: tiles 0 and 2 blue, 1 and 3 green.
        Mat mat = new Mat(400, 400, CvType.CV_8UC3, new Scalar(255, 0, 0));
        mat.colRange(200, 400).setTo(new Scalar(0, 255, 0));
        try (DecodedImage image = new DecodedImage(mat)) {
            PixelBatch batch = preprocessor.preprocess(List.of(image));
            assertEquals(5, batch.count());
            int plane = 512 * 512;
            int tile = 3 * plane;
            float[] expectedBlue = {-1, -1, 1};
            for (int t = 0; t < 4; t++) {
                boolean blue = t % 2 == 0;
                for (int c = 0; c < 3; c++) {
                    float expected = blue ? expectedBlue[c] : (c == 1 ? 1 : -1);
                    assertEquals(expected, batch.pixels().get(t * tile + c * plane + 256 * 512 + 256), 1e-6,
                            "tile " + t + " channel " + c);
                }
            }
            int global = 4 * tile;
            assertEquals(1f, batch.pixels().get(global + 2 * plane + 256 * 512 + 10), 1e-6, "global left is blue");
            assertEquals(1f, batch.pixels().get(global + plane + 256 * 512 + 500), 1e-6, "global right is green");
        }
    }

    @Test
    void severalImagesShareOneBatchInOrder() {
        ImagePreprocessor preprocessor = new ImagePreprocessor(real.withOverrides(false, null));
        try (DecodedImage white = new DecodedImage(new Mat(10, 10, CvType.CV_8UC3, new Scalar(255, 255, 255)));
             DecodedImage black = new DecodedImage(new Mat(10, 10, CvType.CV_8UC3, new Scalar(0, 0, 0)))) {
            PixelBatch batch = preprocessor.preprocess(List.of(white, black));
            assertEquals(2, batch.count());
            assertEquals(1f, batch.pixels().get(0), 1e-6);
            assertEquals(-1f, batch.pixels().get(3 * 512 * 512), 1e-6);
        }
    }
}
