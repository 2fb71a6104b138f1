package io.glance.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.glance.model.ContrastiveGraph;
import io.glance.onnx.OnnxEmbeddingModel;
import io.glance.session.ModelLocator;
import io.glance.vision.DecodedImage;
import io.glance.vision.ImageDecoder;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code glance embed [--model DIR] [--dtype P] [--json] (--image FILE... | --text TEXT...)}: the unit-length
 * embedding of each picture or text, in input order, one input per model run. Plain output is one line per input
 * ({@code input<TAB>v1 v2 …}); {@code --json} prints one object with {@code embeddings} (one float list per input),
 * {@code model}, {@code precision}, {@code dimension}. Runs on the calling thread.
 */
@Command(name = "embed", description = "Print the CLIP/SigLIP embedding of pictures or texts (unit length, one space for both).")
public final class EmbedCommand implements Callable<Integer> {
    /** Exactly one of the two inputs. */
    static final class Inputs {
        @Option(names = "--image", paramLabel = "FILE", arity = "1..*", description = "Picture files.")
        List<Path> images;

        @Option(names = "--text", paramLabel = "TEXT", arity = "1..*", description = "Texts.")
        List<String> texts;
    }

    @ArgGroup(multiplicity = "1")
    Inputs inputs;

    @Mixin
    EmbeddingModelOptions modelOptions = new EmbeddingModelOptions();

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    private final ModelLocator locator;

    public EmbedCommand(ModelLocator locator) {
        this.locator = locator;
    }

    @Override
    public Integer call() throws Exception {
        boolean images = inputs.images != null;
        List<String> names = new ArrayList<>();
        List<float[]> embeddings = new ArrayList<>();
        List<DecodedImage> decoded = new ArrayList<>();
        try {
            if (images) {
                ImageDecoder decoder = new ImageDecoder();
                for (Path image : inputs.images) {
                    decoded.add(decoder.decode(image));
                    names.add(image.toString());
                }
            }
            try (OnnxEmbeddingModel model = modelOptions.load(locator,
                    Set.of(images ? ContrastiveGraph.VISION : ContrastiveGraph.TEXT))) {
                if (images) {
                    for (DecodedImage image : decoded) {
                        embeddings.add(model.embedImages(List.of(image))[0]);
                    }
                } else {
                    for (String text : inputs.texts) {
                        embeddings.add(model.embedTexts(List.of(text))[0]);
                        names.add(text);
                    }
                }
                print(model, names, embeddings);
            }
        } finally {
            decoded.forEach(DecodedImage::close);
        }
        return 0;
    }

    private void print(OnnxEmbeddingModel model, List<String> names, List<float[]> embeddings) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        if (json) {
            JsonObject object = new JsonObject();
            JsonArray all = new JsonArray();
            for (float[] embedding : embeddings) {
                JsonArray values = new JsonArray();
                for (float value : embedding) {
                    values.add(value);
                }
                all.add(values);
            }
            object.add("embeddings", all);
            object.addProperty("model", model.id());
            object.addProperty("model_type", model.kind().modelType());
            object.addProperty("precision", model.precision().cliName());
            object.addProperty("dimension", embeddings.get(0).length);
            out.println(new GsonBuilder().disableHtmlEscaping().create().toJson(object));
            return;
        }
        for (int i = 0; i < names.size(); i++) {
            StringBuilder line = new StringBuilder(names.get(i)).append('\t');
            for (int j = 0; j < embeddings.get(i).length; j++) {
                line.append(j == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.6f", embeddings.get(i)[j]));
            }
            out.println(line);
        }
    }
}
