package io.glance.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.glance.model.ContrastiveGraph;
import io.glance.embedding.EmbeddingModel;
import io.glance.embedding.LabelScore;
import io.glance.onnx.OnnxEmbeddingModel;
import io.glance.session.ModelLocator;
import io.glance.vision.DecodedImage;
import io.glance.vision.ImageDecoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code glance classify [--model DIR] [--dtype P] --labels "a,b,c" [--template T] [--json] IMAGE}: zero-shot
 * labels of one picture, best first, as the reference's zero-shot image classification computes them. Plain output
 * is {@code probability  label} per line; {@code --json} prints {@code labels} (a list of {@code label},
 * {@code probability}), {@code model}, {@code precision}, {@code template}. Runs on the calling thread.
 */
@Command(name = "classify", description = "Zero-shot labels of a picture with a CLIP/SigLIP model: how likely each label is.")
public final class ClassifyCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IMAGE", description = "The picture.")
    Path image;

    @Option(names = "--labels", required = true, paramLabel = "LABELS", description = "Candidate labels, comma-separated.")
    String labels;

    @Option(names = "--template", paramLabel = "T",
            description = "Hypothesis template; {} is replaced by each label (default: \"" + EmbeddingModel.DEFAULT_TEMPLATE + "\").")
    String template = EmbeddingModel.DEFAULT_TEMPLATE;

    @Mixin
    EmbeddingModelOptions modelOptions = new EmbeddingModelOptions();

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    private final ModelLocator locator;

    public ClassifyCommand(ModelLocator locator) {
        this.locator = locator;
    }

    @Override
    public Integer call() throws Exception {
        List<String> candidates = Arrays.stream(labels.split(",")).map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (candidates.isEmpty()) {
            throw new UsageException("--labels names no label; give them comma-separated: --labels \"cat,dog\"");
        }
        if (!template.contains("{}")) {
            throw new UsageException("--template must contain {} where the label goes, e.g. \"a photo of a {}\"");
        }
        List<LabelScore> scores;
        try (DecodedImage picture = new ImageDecoder().decode(image);
             OnnxEmbeddingModel model = modelOptions.load(locator, Set.of(ContrastiveGraph.COMBINED))) {
            scores = model.classify(picture, candidates, template);
            print(model, scores);
        }
        return 0;
    }

    private void print(OnnxEmbeddingModel model, List<LabelScore> scores) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        if (json) {
            JsonObject object = new JsonObject();
            JsonArray list = new JsonArray();
            for (LabelScore score : scores) {
                JsonObject entry = new JsonObject();
                entry.addProperty("label", score.label());
                entry.addProperty("probability", score.probability());
                list.add(entry);
            }
            object.add("labels", list);
            object.addProperty("model", model.id());
            object.addProperty("model_type", model.kind().modelType());
            object.addProperty("precision", model.precision().cliName());
            object.addProperty("template", template);
            out.println(new GsonBuilder().disableHtmlEscaping().create().toJson(object));
            return;
        }
        for (LabelScore score : scores) {
            out.printf(Locale.ROOT, "%.4f  %s%n", score.probability(), score.label());
        }
    }
}
