package io.glance.family.smolvlm;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.glance.TestModels;
import io.glance.model.ModelFolder;
import io.glance.vision.DecodedImage;
import io.glance.vision.ImageDecoder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * SmolVLM preprocessing against what transformers.js 4.3.2 makes of the same files: every pixel value of every tile
 * equal, compared through the SHA-256 of the float32 values (scripts/reference/dump_smolvlm_pixels.mjs wrote the
 * goldens for the test model's longest edge, 256, and for 512). The pictures cover enlarging and shrinking, the box
 * pre-shrink (1200×800 to 256 wide), extreme aspect ratios, and EXIF rotation.
 */
class SmolVlmPixelsTest {
    private static final Path GOLDEN = TestModels.repoRoot().resolve("app/src/test/resources/smolvlm-reference");
    private static final Path IMAGES = TestModels.repoRoot().resolve("scripts/reference/images");
    private static SmolVlmImageSettings fixture;

    @BeforeAll
    static void setUp() throws Exception {
        fixture = SmolVlmImageSettings.read(ModelFolder.open(
                TestModels.repoRoot().resolve("app/src/test/resources/models/tiny-random")));
    }

    static Stream<Arguments> cases() {
        List<String> files = List.of("tiny-8x8.png", "tiny-20x30.png", "exact-56x84.png", "ties-70x126.png",
                "exif-rotated-160x96.jpg", "large-1200x800.jpg", "tall-30x900.png", "wide-900x30.png");
        return Stream.of(256, 512).flatMap(edge -> files.stream().flatMap(file ->
                Stream.of(Arguments.of(file, edge, true), Arguments.of(file, edge, false))));
    }

    @ParameterizedTest(name = "{0}, longest edge {1}, split {2}")
    @MethodSource("cases")
    void everyValueIsTheReferences(String file, int longestEdge, boolean split) throws Exception {
        String name = file.substring(0, file.lastIndexOf('.')) + (split ? "-split" : "-nosplit");
        JsonObject golden = JsonParser.parseString(
                Files.readString(GOLDEN.resolve("edge" + longestEdge).resolve(name + ".json"))).getAsJsonObject();
        ImagePreprocessor preprocessor = new ImagePreprocessor(fixture.withOverrides(split, longestEdge));
        try (DecodedImage image = new ImageDecoder().decode(IMAGES.resolve(file))) {
            PixelBatch batch = preprocessor.preprocess(List.of(image));
            TileLayout layout = batch.tileLayouts().get(0);
            assertEquals(golden.get("rows").getAsInt(), layout.rows(), "tile rows of " + name);
            assertEquals(golden.get("cols").getAsInt(), layout.cols(), "tile columns of " + name);
            JsonArray shape = golden.getAsJsonArray("shape");
            assertEquals(shape.get(0).getAsInt(), batch.count(), "encoder inputs of " + name);
            assertEquals(golden.get("sha256").getAsString(), sha256(batch.pixels()), "pixel values of " + name);
        }
    }

    private static String sha256(FloatBuffer values) throws Exception {
        ByteBuffer bytes = ByteBuffer.allocate(values.remaining() * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values.duplicate());
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array()));
    }
}
