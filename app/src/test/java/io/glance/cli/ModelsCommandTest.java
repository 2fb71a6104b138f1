package io.glance.cli;

import io.glance.Main;
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

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code glance models …} end to end against a loopback server, with glance.home in a temp folder. */
@Timeout(60)
class ModelsCommandTest {
    @TempDir
    Path temp;

    private LoopbackModelServer server;

    @BeforeEach
    void setUp() throws Exception {
        server = new LoopbackModelServer(TinyModelCatalog.FOLDER, TinyModelCatalog.REPO, TinyModelCatalog.REVISION);
        System.setProperty(UserFolders.HOME_PROPERTY, temp.resolve("home").toString());
        System.setProperty("glance.catalog", TinyModelCatalog.write(temp.resolve("catalog.json"), p -> true, -1).toString());
    }

    @AfterEach
    void tearDown() {
        server.close();
        System.clearProperty(UserFolders.HOME_PROPERTY);
        System.clearProperty("glance.catalog");
    }

    @Test
    void pullUseAndRemoveThroughTheCommandLine() throws Exception {
        String base = server.baseUrl().toString();
        Path folder = temp.resolve("home/models/tiny-random");

        assertEquals(0, Main.run("models", "pull", "tiny-random", "--precision", "q4", "--base-url", base));
        assertTrue(Files.isRegularFile(folder.resolve("onnx/decoder_model_merged_q4.onnx")));
        int requests = server.requests().size();
        assertEquals(0, Main.run("models", "pull", "tiny-random", "--precision", "q4", "--base-url", base));
        assertEquals(requests, server.requests().size(), "second pull does nothing");

        assertEquals(0, Main.run("models", "use", "tiny-random", "--precision", "q4"));
        assertEquals("tiny-random", settingsModelId());
        assertEquals(folder, new ModelLocator(UserFolders.fromSystem(), message -> { }).resolve(null));
        assertEquals(2, Main.run("models", "use", "tiny-random", "--precision", "int8"));

        assertEquals(0, Main.run("models", "list"));
        assertEquals(0, Main.run("models", "remove", "tiny-random"));
        assertFalse(Files.exists(folder));
        assertEquals(ModelLocator.BUNDLED_MODEL, settingsModelId());
    }

    @Test
    void listShowsEachModelsFamilyWhatItIsGoodAtAndItsSizePerPrecision() {
        PrintStream original = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.run("models", "list"));
        } finally {
            System.setOut(original);
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("SmolVLM: random weights, for tests Good at: testing downloads."), text);
        assertTrue(text.matches("(?s).*sizes: .*q4 .*"), text);
    }

    @Test
    void importRefusesAnIncompleteFolderAndAcceptsAPublishedOne() {
        assertEquals(2, Main.run("models", "import", temp.toString()));
        assertEquals(0, Main.run("models", "import", TinyModelCatalog.FOLDER.toString(), "--id", "tiny-copy"));
        assertTrue(Files.isDirectory(temp.resolve("home/models/tiny-copy/onnx")));
    }

    @Test
    void goneServerFailsWithExitCodeOne() {
        String base = server.baseUrl().toString();
        server.close();

        assertEquals(1, Main.run("models", "pull", "tiny-random", "--base-url", base, "--attempts", "2"));
    }

    private String settingsModelId() {
        return new SettingsStore(temp.resolve("home/settings.json")).load().settings().modelId();
    }
}
