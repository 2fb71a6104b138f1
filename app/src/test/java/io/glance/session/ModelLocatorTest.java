package io.glance.session;

import io.glance.TestModels;
import io.glance.model.ModelFolder;
import io.glance.model.Precision;
import io.glance.model.PrecisionSet;
import io.glance.settings.Settings;
import io.glance.settings.SettingsStore;
import io.glance.settings.UserFolders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which precision a command loads when {@code --dtype} is not given. */
class ModelLocatorTest {
    @TempDir
    Path home;
    private final List<String> notices = new ArrayList<>();

    @Test
    void theSettingsPrecisionIsUsedWhenTheFolderHasIt() throws Exception {
        ModelLocator locator = locatorWithSettingsPrecision("fp32");
        assertEquals(PrecisionSet.uniform(Precision.FP32),
                locator.precisionFor(ModelFolder.open(TestModels.tinyRandom()), null));
        assertEquals(List.of(), notices);
    }

    @Test
    void aSettingsPrecisionTheFolderLacksFallsBackToItsDefaultAndSaysSo() throws Exception {
        ModelLocator locator = locatorWithSettingsPrecision("fp16");
        assertEquals(PrecisionSet.uniform(Precision.Q4),
                locator.precisionFor(ModelFolder.open(TestModels.tinyRandom()), null));
        assertEquals(1, notices.size());
        assertTrue(notices.get(0).contains("precision fp16") && notices.get(0).contains("using q4"), notices.get(0));
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
        return new ModelLocator(folders, notices::add);
    }
}
