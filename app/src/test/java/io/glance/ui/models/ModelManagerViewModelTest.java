package io.glance.ui.models;

import io.glance.TestModels;
import io.glance.model.store.ModelStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The model manager's entries, driven on the calling thread (every executor runs in place). */
class ModelManagerViewModelTest {
    @TempDir
    Path temp;

    @Test
    void theModelInUseShowsThePrecisionItWasLoadedInOthersTheirFirstOrRecommended() throws Exception {
        ModelStore store = new ModelStore(temp.resolve("models"));
        store.importFolder(TestModels.tinyRandom(), "tiny", null);
        store.importFolder(TestModels.tinyRandom(), "other", null);
        ModelManagerViewModel manager = new ModelManagerViewModel(
                new ModelLibrary(() -> temp.resolve("no-catalog.json"), store, () -> Duration.ofSeconds(20)), Runnable::run, Runnable::run, Runnable::run);
        manager.refresh();
        List<String> offered = options(entry(manager, "tiny"));
        String notFirst = offered.get(offered.size() - 1);
        assertEquals(offered.get(0), selected(entry(manager, "tiny")), "nothing loaded yet: the first option");

        manager.setActiveModel("tiny");
        manager.setActivePrecision(notFirst);
        assertEquals(notFirst, selected(entry(manager, "tiny")), "shown as soon as the model has loaded");

        manager.refresh();
        assertEquals(notFirst, selected(entry(manager, "tiny")), "and after the manager reads the store again");
        assertEquals(offered.get(0), selected(entry(manager, "other")), "another model keeps its own default");
    }

    @Test
    void anImportedFolderShowsItsFamilyFromItsModelType() throws Exception {
        ModelStore store = new ModelStore(temp.resolve("models"));
        store.importFolder(TestModels.tinyRandom(), "smol", null);
        store.importFolder(TestModels.repoRoot().resolve("app/src/test/resources/models/tiny-qwen2.5-vl"), "qwen", null);
        ModelManagerViewModel manager = new ModelManagerViewModel(
                new ModelLibrary(() -> temp.resolve("no-catalog.json"), store, () -> Duration.ofSeconds(20)), Runnable::run, Runnable::run, Runnable::run);
        manager.refresh();
        assertTrue(entry(manager, "smol").descriptionProperty().get().startsWith("SmolVLM: imported folder"));
        assertTrue(entry(manager, "qwen").descriptionProperty().get().startsWith("Qwen2.5-VL: imported folder"));
    }

    @Test
    void anImportedClipIsUsedAsTheImageTextModelNotTheChatsModel() throws Exception {
        ModelStore store = new ModelStore(temp.resolve("models"));
        store.importFolder(TestModels.repoRoot().resolve("app/src/test/resources/models/tiny-clip"), "clip", null);
        ModelManagerViewModel manager = new ModelManagerViewModel(
                new ModelLibrary(() -> temp.resolve("no-catalog.json"), store, () -> Duration.ofSeconds(20)), Runnable::run, Runnable::run, Runnable::run);
        List<String> chats = new ArrayList<>();
        List<String> imageText = new ArrayList<>();
        manager.setOnUse((id, precision) -> chats.add(id));
        manager.setOnUseImageText(imageText::add);
        manager.setActiveModel("glance-demo-shapes");
        manager.refresh();
        ModelEntry clip = entry(manager, "clip");
        assertTrue(clip.descriptionProperty().get().startsWith("CLIP: imported folder"), clip.descriptionProperty().get());
        assertEquals(List.of("fp32", "q8"), options(clip));

        clip.use();
        assertEquals(List.of("clip"), imageText);
        assertTrue(chats.isEmpty(), "the chat's model is not changed");
        assertEquals("clip", manager.activeImageTextModelProperty().get());
        assertEquals("glance-demo-shapes", manager.activeModelProperty().get());
    }

    private static ModelEntry entry(ModelManagerViewModel manager, String id) {
        return manager.entries().stream().filter(e -> e.id().equals(id)).findFirst().orElseThrow();
    }

    private static List<String> options(ModelEntry entry) {
        return entry.options().stream().map(PrecisionOption::precision).toList();
    }

    private static String selected(ModelEntry entry) {
        return entry.precisionProperty().get().precision();
    }
}
