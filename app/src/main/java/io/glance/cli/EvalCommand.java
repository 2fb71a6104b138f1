package io.glance.cli;

import com.google.gson.GsonBuilder;
import io.glance.embedding.ContrastiveFolder;
import io.glance.model.ContrastiveGraph;
import io.glance.embedding.HeldOutScenes;
import io.glance.embedding.RetrievalEvaluation;
import io.glance.model.Precision;
import io.glance.onnx.OnnxEmbeddingModel;
import io.glance.model.ModelFolder;
import io.glance.model.PrecisionSet;
import io.glance.onnx.Device;
import io.glance.onnx.LoadedModel;
import io.glance.session.ModelLocator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code glance eval}: accuracy of a model on a labelled test set ({@code testset.json} beside its images),
 * per question type, through the same engine path as {@code ask}; for a CLIP or SigLIP model, text-to-image recall
 * and zero-shot accuracy on a {@code clipset.json} ({@link RetrievalEvaluation}). Runs on the calling thread.
 */
@Command(name = "eval", description = "Measure answer accuracy on a labelled test set (testset.json).")
public final class EvalCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "DIR", description = "Model folder (default: the installed or bundled model).")
    Path model;
    @Option(names = "--testset", required = true, paramLabel = "FILE",
            description = "testset.json (clipset.json for a CLIP or SigLIP model); images are read from its folder.")
    Path testset;
    @Option(names = "--dtype", paramLabel = "PRECISION", description = "Precision (default: fp32).")
    String dtype = "fp32";
    @Option(names = "--limit", paramLabel = "N", description = "Only the first N scenes (default: all).")
    int limit;
    @Mixin
    CpuOptions cpu = new CpuOptions();
    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;
    @Option(names = "--show-misses", description = "List every wrong answer.")
    boolean showMisses;

    private final ModelLocator locator;

    public EvalCommand(ModelLocator locator) {
        this.locator = locator;
    }

    @Override
    public Integer call() throws Exception {
        if (model != null && ContrastiveFolder.isContrastive(model)) {
            return evaluateEmbeddings();
        }
        LabelledTestSet set = LabelledTestSet.read(testset);
        Path dir = testset.toAbsolutePath().getParent();
        Path modelDir = locator.resolve(model);
        ModelFolder folder = ModelFolder.open(modelDir);
        PrecisionSet precisions = locator.precisionFor(folder, dtype);
        try (LoadedModel loaded = LoadedModel.load(folder, precisions, Device.CPU, cpu.threading())) {
            long start = System.nanoTime();
            AccuracyEvaluator.Report report = new AccuracyEvaluator(loaded)
                    .evaluate(dir, set.firstScenes(limit), limit > 0 ? List.of() : set.textOnly());
            double seconds = (System.nanoTime() - start) / 1e9;
            if (json) {
                System.out.println(new GsonBuilder().setPrettyPrinting().create().toJson(report));
                return 0;
            }
            System.out.printf("%-13s %8s %8s %9s%n", "type", "correct", "total", "accuracy");
            report.byType().forEach((type, s) -> System.out.printf("%-13s %8d %8d %8.1f%%%n",
                    type, s.correct(), s.total(), 100 * s.accuracy()));
            System.out.printf("%s, %d scenes, %.0f s%n", precisions, set.firstScenes(limit).size(), seconds);
            if (showMisses) {
                report.misses().forEach(m -> System.out.printf("MISS %s | %s | expected %s | got %s%n",
                        m.image(), m.question(), m.expected(), m.actual()));
            }
            return 0;
        }
    }

    /** Retrieval and zero-shot figures of a CLIP-family model on a {@code clipset.json}. */
    private int evaluateEmbeddings() throws Exception {
        HeldOutScenes set;
        try {
            set = HeldOutScenes.read(testset);
        } catch (IOException e) {
            throw new UsageException(e.getMessage());
        }
        ContrastiveFolder folder = ContrastiveFolder.open(model);
        try (OnnxEmbeddingModel embedder = OnnxEmbeddingModel.load(folder, Precision.parse(dtype),
                EnumSet.allOf(ContrastiveGraph.class), cpu.threading())) {
            long start = System.nanoTime();
            RetrievalEvaluation.Report report = new RetrievalEvaluation(embedder).evaluate(set);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (json) {
                System.out.println(new GsonBuilder().setPrettyPrinting().create().toJson(report));
                return 0;
            }
            System.out.printf(Locale.ROOT, "text→image recall@1   %6.1f%%  (%d queries over %d pictures)%n",
                    100 * report.recallAt1(), report.queries(), report.queries());
            System.out.printf(Locale.ROOT, "text→image recall@5   %6.1f%%%n", 100 * report.recallAt5());
            System.out.printf(Locale.ROOT, "own picture first     %6.1f%%%n", 100 * report.ownPictureFirst());
            System.out.printf(Locale.ROOT, "zero-shot colour      %6.1f%%  (%d one-object pictures, %d labels)%n",
                    100 * report.colorAccuracy(), report.labelled(), set.colors().size());
            System.out.printf(Locale.ROOT, "zero-shot shape       %6.1f%%  (%d labels)%n", 100 * report.shapeAccuracy(),
                    set.shapes().size());
            System.out.printf(Locale.ROOT, "%s %s, %.0f s%n", folder.root().getFileName(), embedder.precision(), seconds);
            return 0;
        }
    }
}
