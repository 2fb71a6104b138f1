package io.glance.settings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsStoreTest {
    @TempDir
    Path temp;

    @Test
    void savedSettingsComeBack() throws Exception {
        SettingsStore store = new SettingsStore(temp.resolve("glance/settings.json"));
        Settings changed = Settings.defaults().withModel("smolvlm-256m-instruct", "q4");

        store.save(changed);

        assertEquals(new LoadedSettings(changed, null), store.load());
    }

    @Test
    void missingKeysTakeTheirDefaults() throws Exception {
        Path file = Files.writeString(temp.resolve("settings.json"), "{\"version\": 1, \"maxNewTokens\": 99}");

        LoadedSettings loaded = new SettingsStore(file).load();

        assertNull(loaded.notice());
        assertEquals(99, loaded.settings().maxNewTokens());
        assertEquals(Settings.defaults().captionPrompt(), loaded.settings().captionPrompt());
    }

    @Test
    void corruptFileGivesDefaultsANoticeAndIsKeptAside() throws Exception {
        assertSetAside("{\"version\": 1, \"maxNewTokens\": ");
        assertSetAside("{\"version\": 1, \"maxNewTokens\": \"many\"}");
        assertSetAside("[1, 2]");
    }

    @Test
    void unknownVersionGivesDefaultsANoticeAndIsKeptAside() throws Exception {
        String notice = assertSetAside("{\"version\": 7, \"modelId\": \"future\"}");

        assertTrue(notice.contains("version 7"), notice);
    }

    @Test
    void glanceHomeHoldsAllFoldersElseTheOsConventionApplies() {
        Path home = Path.of("/home/ann");
        assertEquals(new UserFolders(Path.of("/t/models"), Path.of("/t/settings.json"), Path.of("/t/cache")),
                UserFolders.resolve("/t", "Linux", Map.of(), home));
        assertEquals(new UserFolders(home.resolve(".local/share/glance/models"), home.resolve(".config/glance/settings.json"),
                        home.resolve(".cache/glance")),
                UserFolders.resolve(null, "Linux", Map.of(), home));
        assertEquals(new UserFolders(Path.of("/xd/glance/models"), Path.of("/xc/glance/settings.json"), Path.of("/xk/glance")),
                UserFolders.resolve(null, "Linux",
                        Map.of("XDG_DATA_HOME", "/xd", "XDG_CONFIG_HOME", "/xc", "XDG_CACHE_HOME", "/xk"), home));
        assertEquals(home.resolve("Library/Application Support/Glance/models"),
                UserFolders.resolve(null, "Mac OS X", Map.of(), home).modelsDir());
        assertEquals(home.resolve("Library/Caches/Glance"), UserFolders.resolve(null, "Mac OS X", Map.of(), home).cacheDir());
        UserFolders windows = UserFolders.resolve(null, "Windows 11", Map.of("LOCALAPPDATA", "/local"), home);
        assertEquals(Path.of("/local/Glance/models"), windows.modelsDir());
        assertEquals(Path.of("/local/Glance/cache"), windows.cacheDir());
    }

    private String assertSetAside(String content) throws Exception {
        Path dir = Files.createTempDirectory(temp, "case");
        Path file = Files.writeString(dir.resolve("settings.json"), content);

        LoadedSettings loaded = new SettingsStore(file).load();

        assertEquals(Settings.defaults(), loaded.settings());
        assertTrue(loaded.notice() != null && loaded.notice().contains("kept as"), String.valueOf(loaded.notice()));
        List<Path> kept;
        try (Stream<Path> files = Files.list(dir)) {
            kept = files.filter(p -> p.getFileName().toString().startsWith("settings.json.unreadable-")).toList();
        }
        assertEquals(1, kept.size());
        assertEquals(content, Files.readString(kept.get(0)));
        return loaded.notice();
    }
}
