package io.glance.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.glance.Main;
import io.glance.TestModels;
import io.glance.model.download.LoopbackModelServer;
import io.glance.session.ModelLocator;
import io.glance.settings.SettingsStore;
import io.glance.settings.UserFolders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A CLIP-family catalog entry end to end against a loopback server: pulled in one precision (its text, vision and
 * combined graphs of that precision only), made the image–text model with {@code models use}, then used by
 * {@code embed} without {@code --model}.
 */
@Timeout(60)
class ImageTextModelPullTest {
    private static final Path TINY_CLIP = TestModels.repoRoot().resolve("app/src/test/resources/models/tiny-clip");

    @TempDir
    Path temp;
    private LoopbackModelServer server;

    @BeforeEach
    void setUp() throws Exception {
        server = new LoopbackModelServer(TINY_CLIP, "test/tiny-clip", "main");
        System.setProperty(UserFolders.HOME_PROPERTY, temp.resolve("home").toString());
        System.setProperty("glance.catalog", writeCatalog(temp.resolve("catalog.json")).toString());
    }

    @AfterEach
    void tearDown() {
        server.close();
        System.clearProperty(UserFolders.HOME_PROPERTY);
        System.clearProperty("glance.catalog");
    }

    private static Path writeCatalog(Path file) throws Exception {
        JsonArray files = new JsonArray();
        for (String path : List.of("config.json", "preprocessor_config.json", "tokenizer.json", "tokenizer_config.json",
                "special_tokens_map.json", "onnx/text_model.onnx", "onnx/vision_model.onnx", "onnx/model.onnx",
                "onnx/text_model_quantized.onnx", "onnx/vision_model_quantized.onnx", "onnx/model_quantized.onnx")) {
            JsonObject entry = new JsonObject();
            entry.addProperty("path", path);
            entry.addProperty("size", Files.size(TINY_CLIP.resolve(path)));
            files.add(entry);
        }
        JsonObject model = new JsonObject();
        model.addProperty("id", "tiny-clip");
        model.addProperty("name", "tiny-clip");
        model.addProperty("repo", "test/tiny-clip");
        model.addProperty("revision", "main");
        model.addProperty("description", "random weights, for tests");
        model.addProperty("family", "CLIP");
        model.addProperty("good_at", "testing downloads");
        model.addProperty("licence", "Apache-2.0");
        JsonObject recommended = new JsonObject();
        recommended.addProperty("cpu", "q8");
        recommended.addProperty("gpu", "fp32");
        model.add("recommended_precision", recommended);
        JsonArray sets = new JsonArray();
        sets.add("q8");
        sets.add("fp32");
        model.add("precision_sets", sets);
        model.addProperty("verification", "test");
        model.add("files", files);
        JsonObject root = new JsonObject();
        root.addProperty("catalog_version", 1);
        root.addProperty("default_base_url", "http://127.0.0.1:9");
        JsonArray models = new JsonArray();
        models.add(model);
        root.add("models", models);
        Files.writeString(file, root.toString());
        return file;
    }

    @Test
    void pulledInOnePrecisionUsedAsTheImageTextModelAndEmbeddingWithoutModelOption() {
        Path folder = temp.resolve("home/models/tiny-clip");
        assertEquals(0, Main.run("models", "pull", "tiny-clip", "--precision", "q8", "--base-url",
                server.baseUrl().toString()));
        assertTrue(Files.isRegularFile(folder.resolve("onnx/vision_model_quantized.onnx")));
        assertTrue(Files.isRegularFile(folder.resolve("onnx/model_quantized.onnx")));
        assertFalse(Files.exists(folder.resolve("onnx/model.onnx")), "only the precision asked for");

        assertEquals(0, Main.run("models", "use", "tiny-clip"));
        SettingsStore settings = new SettingsStore(temp.resolve("home/settings.json"));
        assertEquals("tiny-clip", settings.load().settings().embeddingModelId());
        assertEquals(ModelLocator.BUNDLED_MODEL, settings.load().settings().modelId(), "the chat's model is unchanged");
        try {
            assertEquals(folder, new ModelLocator(UserFolders.fromSystem(), message -> { }).resolveEmbeddingModel(null));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        CommandRun embedded = CommandRun.of("embed", "--text", "a red circle", "--json");
        assertEquals(0, embedded.code(), embedded.err());
        assertTrue(embedded.out().contains("\"model\":\"tiny-clip q8\""), embedded.out());

        assertEquals(0, Main.run("models", "use", ModelLocator.BUNDLED_EMBEDDING_MODEL));
        assertNull(settings.load().settings().embeddingModelId());
    }
}
