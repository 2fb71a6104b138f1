package io.glance;

import io.glance.generation.Cancellation;
import io.glance.generation.ChatSession;
import io.glance.generation.GenerationOptions;
import io.glance.model.PrecisionSet;
import io.glance.session.ImageOrigin;
import io.glance.settings.Settings;
import io.glance.vision.DecodedImage;
import io.glance.vision.OpenCvLibrary;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The window's model: how images are tiled when the settings leave it to Glance. */
class OnnxModelRuntimeTest {
    private static OnnxModelRuntime runtime;

    @BeforeAll
    static void load() throws Exception {
        OpenCvLibrary.ensureLoaded();
        // the tiny model splits as its preprocessor config says: 64-pixel tiles, longest edge 256
        runtime = OnnxModelRuntime.load(io.glance.model.ModelFolder.open(TestModels.tinyRandom()), PrecisionSet.parse("fp32"), "cpu");
    }

    @AfterAll
    static void close() {
        runtime.close();
    }

    @Test
    void automaticSplittingSendsCameraFramesWholeOnTheCpuAndPicturesAsTheModelSays() throws Exception {
        Settings automatic = Settings.defaults();
        int camera = promptTokens(automatic, ImageOrigin.CAMERA);
        int picture = promptTokens(automatic, ImageOrigin.PICTURE);
        int whole = promptTokens(automatic.edit(e -> e.splitImages = false), ImageOrigin.PICTURE);

        assertEquals(whole, camera, "a camera frame goes whole, as with splitting off");
        // 1280×720 at longest edge 256 is 4×3 tiles of 64 pixels, 16 image tokens each, beside the global image
        assertTrue(picture >= camera + 12 * 16,
                "a picture is cut into tiles: " + picture + " vs " + camera + " tokens");
    }

    @Test
    void thePersonsChoiceOfSplittingWinsForCameraFrames() throws Exception {
        Settings split = Settings.defaults().edit(e -> e.splitImages = true);
        assertEquals(promptTokens(split, ImageOrigin.PICTURE), promptTokens(split, ImageOrigin.CAMERA));
    }

    @Test
    void automaticSplittingFollowsTheModelOffTheCpu() {
        assertEquals(null, OnnxModelRuntime.splitting(null, ImageOrigin.CAMERA, false));
        assertEquals(Boolean.FALSE, OnnxModelRuntime.splitting(null, ImageOrigin.CAMERA, true));
        assertEquals(null, OnnxModelRuntime.splitting(null, ImageOrigin.PICTURE, true));
        assertEquals(Boolean.TRUE, OnnxModelRuntime.splitting(true, ImageOrigin.CAMERA, true));
    }

    @Test
    void automaticImageTokensAreFewerForCameraFramesOnTheCpuOnly() {
        assertEquals(OnnxModelRuntime.CAMERA_IMAGE_TOKENS_ON_CPU, OnnxModelRuntime.imageTokens(null, ImageOrigin.CAMERA, true));
        assertEquals(null, OnnxModelRuntime.imageTokens(null, ImageOrigin.CAMERA, false));
        assertEquals(null, OnnxModelRuntime.imageTokens(null, ImageOrigin.PICTURE, true));
        assertEquals(1024, OnnxModelRuntime.imageTokens(1024, ImageOrigin.CAMERA, true));
    }

    private static int promptTokens(Settings settings, ImageOrigin origin) throws Exception {
        try (ChatSession chat = runtime.newChat(settings, origin);
             DecodedImage frame = new DecodedImage(new Mat(720, 1280, CvType.CV_8UC3, new Scalar(40, 160, 90)))) {
            return chat.ask("What is this?", List.of(frame), GenerationOptions.greedy(1), text -> { },
                            new Cancellation())
                    .promptTokens();
        }
    }
}
