package io.glance.cli;

import io.glance.TestModels;
import io.glance.model.ModelFolder;
import io.glance.model.Precision;
import io.glance.model.PrecisionSet;
import io.glance.settings.Settings;
import io.glance.settings.SettingsStore;
import io.glance.settings.UserFolders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which precision a command loads when {@code --dtype} is not given. */
class ModelLocatorTest {
    @TempDir
    Path home;

    @Test
    void theSettingsPrecisionIsUsedWhenTheFolderHasIt() throws Exception {
        ModelLocator locator = locatorWithSettingsPrecision("fp32");
        String err = stderrOf(() -> assertEquals(PrecisionSet.uniform(Precision.FP32),
                locator.precisionFor(ModelFolder.open(TestModels.tinyRandom()), null)));
        assertEquals("", err);
    }

    @Test
    void aSettingsPrecisionTheFolderLacksFallsBackToItsDefaultAndSaysSo() throws Exception {
        ModelLocator locator = locatorWithSettingsPrecision("fp16");
        String err = stderrOf(() -> assertEquals(PrecisionSet.uniform(Precision.Q4),
                locator.precisionFor(ModelFolder.open(TestModels.tinyRandom()), null)));
        assertTrue(err.contains("precision fp16") && err.contains("using q4"), err);
    }

    @Test
    void anExplicitPrecisionWinsOverTheSettings() throws Exception {
        ModelLocator locator = locatorWithSettingsPrecision("q4");
        assertEquals(PrecisionSet.uniform(Precision.FP32),
                locator.precisionFor(ModelFolder.open(TestModels.tinyRandom()), "fp32"));
    }

    private ModelLocator locatorWithSettingsPrecision(String precision) throws Exception {
        UserFolders folders = UserFolders.resolve(home.toString(), "Linux", Map.of(), home);
        new SettingsStore(folders.settingsFile()).save(Settings.defaults().withModel("tiny-random", precision));
        return new ModelLocator(folders);
    }

    private interface Check {
        void run() throws Exception;
    }

    private static String stderrOf(Check check) throws Exception {
        PrintStream old = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            check.run();
        } finally {
            System.setErr(old);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
