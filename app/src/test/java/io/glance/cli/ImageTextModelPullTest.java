package io.glance.cli;

import io.glance.Main;
import io.glance.TestModels;
import io.glance.model.download.LoopbackModelServer;
import io.glance.model.download.TinyModelCatalog;
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
        System.setProperty("glance.catalog", TinyModelCatalog.write(temp.resolve("catalog.json"),
                new TinyModelCatalog.Entry(TINY_CLIP, "tiny-clip", "test/tiny-clip", "CLIP", List.of("q8", "fp32")))
                .toString());
    }

    @AfterEach
    void tearDown() {
        server.close();
        System.clearProperty(UserFolders.HOME_PROPERTY);
        System.clearProperty("glance.catalog");
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
