package io.glance.model;

import io.glance.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading dimensions and tokens from config files, and the precision rules. */
class ModelFolderTest {
    @TempDir
    Path dir;

    @Test
    void readsTheReal256MDimensionsFromItsConfigs() throws Exception {
        ModelFolder folder = ModelFolder.open(TestModels.referenceConfigs());
        assertEquals(new TextModelShape(576, 30, 3, 64, 49280, 8192), folder.textShape());
        assertEquals(49190, folder.imageTokenId());
        assertTrue(folder.stopTokenIds().contains(49279));
        assertTrue(folder.availablePrecisions().isEmpty(), "config files only, no graphs");
    }

    @Test
    void readsOtherDimensionsJustAsWell() throws Exception {
        ModelFolder folder = ModelFolder.open(TestModels.tinyRandom());
        assertEquals(new TextModelShape(32, 2, 1, 16, 49280, 8192), folder.textShape());
        assertEquals(List.of(Precision.FP32, Precision.INT8, Precision.UINT8, Precision.Q8, Precision.Q4, Precision.Q4F16),
                folder.availablePrecisions());
        assertEquals(PrecisionSet.uniform(Precision.Q4), folder.defaultPrecision());
    }

    @Test
    void precisionNamesAndMixedSetsParse() {
        assertEquals(PrecisionSet.uniform(Precision.Q4F16), PrecisionSet.parse("q4f16"));
        PrecisionSet mixed = PrecisionSet.parse("vision=q4,embed=int8,decoder=q4");
        assertEquals(new PrecisionSet(Precision.Q4, Precision.INT8, Precision.Q4), mixed);
        assertEquals("vision=q4,embed=int8,decoder=q4", mixed.toString());
        assertEquals("embed_tokens_quantized.onnx", GraphKind.EMBED_TOKENS.fileName(Precision.Q8));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PrecisionSet.parse("q3"));
        assertTrue(e.getMessage().contains("fp32, fp16, int8"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PrecisionSet.parse("lm=q4"));
    }
}
