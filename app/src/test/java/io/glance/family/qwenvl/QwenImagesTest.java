package io.glance.family.qwenvl;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.glance.TestModels;
import io.glance.generation.EncoderInput;
import io.glance.generation.EncoderRun;
import io.glance.model.ConfigJson;
import io.glance.model.ModelFolder;
import io.glance.vision.DecodedImage;
import io.glance.vision.ImageDecoder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Qwen-VL preprocessing against what transformers.js 4.3.2 makes of the same files
 * (scripts/reference/dump_qwen_pixels.mjs wrote the goldens): the grid, and every pixel value of every patch.
 */
class QwenImagesTest {
    private static final Path GOLDEN = TestModels.repoRoot().resolve("app/src/test/resources/qwenvl-reference");
    private static final Path IMAGES = TestModels.repoRoot().resolve("scripts/reference/images");

    private static QwenImageSettings fixtureSettings() throws Exception {
        ModelFolder folder = ModelFolder.open(TestModels.repoRoot().resolve("app/src/test/resources/models/tiny-qwen2.5-vl"));
        return QwenImageSettings.read(folder.preprocessorConfig(), folder.root());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-8x8.png", "tiny-20x30.png", "ties-70x126.png", "exif-rotated-160x96.jpg"})
    void patchesAreTheReferencesValueForValue(String file) throws Exception {
        String name = file.substring(0, file.lastIndexOf('.'));
        JsonObject golden = JsonParser.parseString(Files.readString(GOLDEN.resolve(name + ".json"))).getAsJsonObject();
        FloatBuffer expected = ByteBuffer.wrap(Files.readAllBytes(GOLDEN.resolve(name + ".f32")))
                .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        try (DecodedImage image = new ImageDecoder().decode(IMAGES.resolve(file))) {
            EncoderInput input = new QwenImages(fixtureSettings()).prepare(List.of(image));
            EncoderRun run = input.runs(false).get(0);
            LongBuffer grid = (LongBuffer) run.inputs().get(QwenPixels.GRID).values();
            JsonArray thw = golden.getAsJsonArray("grid");
            assertArrayEquals(new long[] {thw.get(0).getAsLong(), thw.get(1).getAsLong(), thw.get(2).getAsLong()},
                    new long[] {grid.get(0), grid.get(1), grid.get(2)}, "grid of " + file);
            FloatBuffer actual = (FloatBuffer) run.inputs().get("pixel_values").values();
            assertEquals(expected.remaining(), actual.remaining(), "values of " + file);
            double worst = 0;
            for (int i = 0; i < expected.remaining(); i++) {
                worst = Math.max(worst, Math.abs(expected.get(i) - actual.get(i)));
            }
            assertEquals(0.0, worst, 1e-6, "largest difference from the reference in " + file);
            assertEquals(input.featureRows() * 4, actual.remaining() / 1176, "a token per four patches");
        }
    }

    @Test
    void smartResizeFollowsTheReferencesRounding() {
        // 70 = 2.5 blocks and 126 = 4.5 blocks round up, as JavaScript's Math.round does (Python would give 56, 112)
        assertArrayEquals(new int[] {84, 140}, SmartResize.size(70, 126, 28, 3136, 1 << 20));
        // too many pixels: both sides shrink by one ratio, floored to the block
        assertArrayEquals(new int[] {168, 252}, SmartResize.size(240, 320, 28, 3136, 50176));
        // too few: grow, ceiled
        assertArrayEquals(new int[] {56, 56}, SmartResize.size(8, 8, 28, 3136, 50176));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SmartResize.size(10, 4000, 28, 3136, 1 << 22));
        assertTrue(e.getMessage().contains("times as long as it is wide"), e.getMessage());
    }

    @Test
    void aConfigWithoutPixelLimitsGetsTheReferencesDefaults() throws Exception {
        JsonObject bare = JsonParser.parseString("{\"patch_size\": 14, \"merge_size\": 2, \"image_mean\": [0.5, 0.5, 0.5],"
                + " \"image_std\": [0.5, 0.5, 0.5]}").getAsJsonObject();
        QwenImageSettings settings = QwenImageSettings.read(new ConfigJson(bare, "preprocessor_config.json"), Path.of("m"));
        assertEquals(56 * 56, settings.minPixels());
        assertEquals(14 * 14 * 4 * 1280, settings.maxPixels());
    }

    @Test
    void theDetailSettingLowersThePixelLimitButNeverRaisesIt() throws Exception {
        QwenImageSettings model = fixtureSettings();
        QwenImages fewer = new QwenImages(model.withMaxPixels(16L * model.pixelsPerToken()));
        assertTrue(fewer.layoutFor(640, 480).featureRows() <= 16, "at most 16 tokens");
        QwenImages more = new QwenImages(model.withMaxPixels(100_000L * model.pixelsPerToken()));
        assertEquals(new QwenImages(model).layoutFor(640, 480), more.layoutFor(640, 480), "the model's own limit holds");
    }
}
