package io.glance.model.catalog;

import io.glance.TestModels;
import io.glance.model.Precision;
import io.glance.model.PrecisionSet;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped catalog parses, lists the five models, and agrees with the reference sizes and sha256. */
class ModelCatalogTest {
    private static final Path REPO = Path.of(System.getProperty("glance.repo.root", ".."));

    @Test
    void shippedCatalogListsTheBundledAndTheFourSmolVlmModels() throws Exception {
        ModelCatalog catalog = ModelCatalog.load(REPO.resolve("model-assets/catalog.json"));

        assertEquals(List.of("glance-demo-shapes", "smolvlm-256m-instruct", "smolvlm-500m-instruct",
                        "smolvlm2-256m-video-instruct", "smolvlm2-500m-video-instruct"),
                catalog.models().stream().map(CatalogModel::id).toList());
        assertTrue(catalog.models().get(0).bundled());
        assertEquals("https://huggingface.co", catalog.defaultBaseUrl().toString());
        assertEquals("smolvlm-256m-instruct", catalog.find("HuggingFaceTB/SmolVLM-256M-Instruct").orElseThrow().id());
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
