package io.glance.model.store;

import io.glance.model.InvalidModelException;
import io.glance.model.Precision;
import io.glance.model.PrecisionSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelStoreTest {
    private static final Path TINY = Path.of("src/test/resources/models/tiny-random").toAbsolutePath();

    @TempDir
    Path temp;

    @Test
    void importedFolderIsInstalledWithItsPrecisionsAndCanBeRemoved() throws Exception {
        ModelStore store = new ModelStore(temp.resolve("models"));

        InstalledModel model = store.importFolder(TINY, "tiny", null);

        assertEquals(List.of(Precision.FP32, Precision.INT8, Precision.UINT8, Precision.Q8, Precision.Q4, Precision.Q4F16),
                model.precisions());
        assertTrue(model.has(new PrecisionSet(Precision.Q4, Precision.FP32, Precision.Q4)));
        assertEquals(List.of("tiny"), store.installed().stream().map(InstalledModel::id).toList());
        assertTrue(store.remove("tiny"));
        assertTrue(store.installed().isEmpty());
    }

    @Test
    void folderWithoutTokenizerIsRefusedNamingTheFile() throws Exception {
        Path broken = copyOfTinyWithout("tokenizer.json");

        InvalidModelException e = assertThrows(InvalidModelException.class,
                () -> new ModelStore(temp.resolve("models")).importFolder(broken, "broken", null));

        assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
        assertFalse(Files.exists(temp.resolve("models/broken")));
    }

    @Test
    void folderWithoutTheAskedPrecisionIsRefusedNamingTheGraph() throws Exception {
        Path broken = copyOfTinyWithout("onnx/decoder_model_merged_q4.onnx");

        InvalidModelException e = assertThrows(InvalidModelException.class,
                () -> new ModelStore(temp.resolve("models")).importFolder(broken, "broken",
                        PrecisionSet.uniform(Precision.Q4)));

        assertTrue(e.getMessage().contains("onnx/decoder_model_merged_q4.onnx"), e.getMessage());
    }

    private Path copyOfTinyWithout(String missing) throws Exception {
        Path copy = temp.resolve("copy");
        Files.createDirectories(copy.resolve("onnx"));
        try (var files = Files.walk(TINY)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String relative = TINY.relativize(file).toString();
                if (!relative.equals(missing)) {
                    Files.copy(file, copy.resolve(relative));
                }
            }
        }
        return copy;
    }
}
