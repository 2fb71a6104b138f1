package io.glance.model.catalog;

import io.glance.TestModels;
import io.glance.model.Precision;
import io.glance.model.PrecisionSet;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped catalog parses, lists the five models, and agrees with the reference sizes and sha256. */
class ModelCatalogTest {
    private static final Path REPO = Path.of(System.getProperty("glance.repo.root", ".."));

    @Test
    void shippedCatalogListsTheBundledTheFourSmolVlmTheThreeQwenVlAndTheThreeClipFamilyModels() throws Exception {
        ModelCatalog catalog = ModelCatalog.load(REPO.resolve("model-assets/catalog.json"));

        assertEquals(List.of("glance-demo-shapes", "smolvlm-256m-instruct", "smolvlm-500m-instruct",
                        "smolvlm2-256m-video-instruct", "smolvlm2-500m-video-instruct", "qwen2-vl-2b-instruct",
                        "qwen2.5-vl-3b-instruct", "qwen3-vl-2b-instruct", "glance-demo-clip", "clip-vit-base-patch32",
                        "siglip-base-patch16-224", "siglip2-base-patch16-224"),
                catalog.models().stream().map(CatalogModel::id).toList());
        assertEquals(List.of("SmolVLM", "SmolVLM", "SmolVLM", "SmolVLM", "SmolVLM", "Qwen2-VL", "Qwen2.5-VL",
                "Qwen3-VL", "CLIP", "CLIP", "SigLIP", "SigLIP"), catalog.models().stream().map(CatalogModel::family).toList());
        assertTrue(catalog.find("glance-demo-clip").orElseThrow().imageText(), "the bundled demo CLIP lists no files");
        assertFalse(catalog.models().get(0).imageText(), "nor does the bundled demo VLM");
        CatalogModel clip = catalog.find("Xenova/clip-vit-base-patch32").orElseThrow();
        assertTrue(clip.imageText() && !qwenOf(catalog).imageText());
        assertEquals(List.of("onnx/text_model_quantized.onnx", "onnx/vision_model_quantized.onnx",
                        "onnx/model_quantized.onnx"),
                clip.filesFor(PrecisionSet.uniform(Precision.Q8)).stream().map(CatalogFile::path)
                        .filter(path -> path.startsWith("onnx/")).toList());
        assertEquals("MIT", clip.licence());
        CatalogModel qwen = catalog.find("onnx-community/Qwen2-VL-2B-Instruct").orElseThrow();
        assertTrue(qwen.summary().startsWith("Qwen2-VL: ") && qwen.summary().contains("Good at: reading text"),
                qwen.summary());
        assertEquals(List.of("onnx/vision_encoder_q4.onnx", "onnx/embed_tokens_q4.onnx",
                        "onnx/decoder_model_merged_q4.onnx"),
                qwen.filesFor(PrecisionSet.uniform(Precision.Q4)).stream().map(CatalogFile::path)
                        .filter(path -> path.startsWith("onnx/")).toList());
        assertTrue(qwen.file("chat_template.json").isPresent() && qwen.file("processor_config.json").isEmpty(),
                "a Qwen folder's own config files");
        assertTrue(catalog.models().get(0).bundled());
        assertEquals("https://huggingface.co", catalog.defaultBaseUrl().toString());
        assertEquals("smolvlm-256m-instruct", catalog.find("HuggingFaceTB/SmolVLM-256M-Instruct").orElseThrow().id());
    }

    private static CatalogModel qwenOf(ModelCatalog catalog) {
        return catalog.find("onnx-community/Qwen2-VL-2B-Instruct").orElseThrow();
    }

    @Test
    void smolVlm256mGraphsCarryTheReferenceSizesAndSha256() throws Exception {
        CatalogModel model = ModelCatalog.load(REPO.resolve("model-assets/catalog.json"))
                .find("smolvlm-256m-instruct").orElseThrow();
        Path tsv = TestModels.referenceConfigs().resolve("onnx-files.tsv");
        int checked = 0;
        for (String line : Files.readAllLines(tsv)) {
            String[] cells = line.split("\t");
            if (line.startsWith("#") || !cells[0].endsWith(".onnx")) {
                continue;
            }
            CatalogFile file = model.file("onnx/" + cells[0]).orElseThrow();
            assertEquals(Long.parseLong(cells[1]), file.size());
            assertEquals(cells[2], file.sha256());
            checked++;
        }
        assertEquals(24, checked);
        PrecisionSet mixed = new PrecisionSet(Precision.Q4, Precision.INT8, Precision.Q4);
        assertEquals(mixed, model.recommendedCpu());
        assertEquals(new CatalogModel.DownloadSize(63_784_987L + 28_385_824L + 86_562_901L, 9),
                model.downloadSize(mixed));
    }
}
