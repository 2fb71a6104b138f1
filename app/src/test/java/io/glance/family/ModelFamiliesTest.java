package io.glance.family;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.glance.TestModels;
import io.glance.model.InvalidModelException;
import io.glance.model.ModelFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Picking a folder's family from its model_type, and each family's own config checks. */
class ModelFamiliesTest {
    @TempDir
    Path dir;

    private void copyTinyRandom() throws Exception {
        copyConfigs(TestModels.tinyRandom());
    }

    private void copyConfigs(Path model) throws Exception {
        try (var files = Files.list(model)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, dir.resolve(file.getFileName()));
            }
        }
    }

    @Test
    void smolVlmFoldersReadAsSmolVlm() throws Exception {
        assertEquals("SmolVLM", ModelFamilies.read(ModelFolder.open(TestModels.tinyRandom())).familyName());
        assertEquals("SmolVLM", ModelFamilies.read(ModelFolder.open(TestModels.referenceConfigs())).familyName());
    }

    @Test
    void anUnknownModelTypeNamesEverySupportedOne() throws Exception {
        copyTinyRandom();
        String config = Files.readString(dir.resolve("config.json"));
        Files.writeString(dir.resolve("config.json"), config.replaceFirst("\"model_type\": *\"[^\"]+\"",
                "\"model_type\": \"llava\""));
        InvalidModelException e = assertThrows(InvalidModelException.class,
                () -> ModelFamilies.read(ModelFolder.open(dir)));
        assertTrue(e.getMessage().contains("model_type 'llava'"), e.getMessage());
        for (String type : ModelFamilies.supportedTypes()) {
            assertTrue(e.getMessage().contains(type), e.getMessage());
        }
        assertTrue(ModelFamilies.supportedTypes().containsAll(List.of("idefics3", "smolvlm")));
    }

    @Test
    void smolVlmConfigsThatDisagreeAreRejected() throws Exception {
        copyTinyRandom();
        Files.writeString(dir.resolve("processor_config.json"), "{\"image_seq_len\": 64}");
        InvalidModelException e = assertThrows(InvalidModelException.class,
                () -> ModelFamilies.read(ModelFolder.open(dir)));
        assertTrue(e.getMessage().contains("image_seq_len is 64"), e.getMessage());
        Files.writeString(dir.resolve("processor_config.json"), "{not json");
        e = assertThrows(InvalidModelException.class, () -> ModelFamilies.read(ModelFolder.open(dir)));
        assertTrue(e.getMessage().contains("processor_config.json is not valid JSON"), e.getMessage());
        Files.delete(dir.resolve("processor_config.json"));
        e = assertThrows(InvalidModelException.class, () -> ModelFamilies.read(ModelFolder.open(dir)));
        assertTrue(e.getMessage().contains("has no processor_config.json"), e.getMessage());
    }

    @Test
    void qwenFoldersReadAsQwenVlAndALaterTypeNeedsItsTextConfig() throws Exception {
        Path qwen25 = TestModels.repoRoot().resolve("app/src/test/resources/models/tiny-qwen2.5-vl");
        assertEquals("Qwen-VL", ModelFamilies.read(ModelFolder.open(qwen25)).familyName());
        copyConfigs(qwen25);
        JsonObject config = JsonParser.parseString(Files.readString(dir.resolve("config.json"))).getAsJsonObject();
        JsonObject text = config.remove("text_config").getAsJsonObject();
        text.entrySet().stream().filter(entry -> !entry.getKey().equals("model_type"))
                .forEach(entry -> config.add(entry.getKey(), entry.getValue()));
        Files.writeString(dir.resolve("config.json"), config.toString());
        InvalidModelException e = assertThrows(InvalidModelException.class,
                () -> ModelFamilies.read(ModelFolder.open(dir)));
        assertTrue(e.getMessage().contains("qwen2_5_vl") && e.getMessage().contains("text_config"), e.getMessage());
    }
}
