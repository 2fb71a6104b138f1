package io.glance.cli;

import com.google.gson.GsonBuilder;
import io.glance.model.ModelFolder;
import io.glance.model.PrecisionSet;
import io.glance.onnx.Device;
import io.glance.onnx.LoadedModel;
import io.glance.session.ModelLocator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code glance eval}: accuracy of a model on a labelled test set ({@code testset.json} beside its images),
 * per question type, through the same engine path as {@code ask}. Runs on the calling thread.
 */
@Command(name = "eval", description = "Measure answer accuracy on a labelled test set (testset.json).")
public final class EvalCommand implements Callable<Integer> {
    @Option(names = "--model", description = "Model folder (default: the installed or bundled model).")
    Path model;
    @Option(names = "--testset", required = true, description = "testset.json; images are read from its folder.")
    Path testset;
    @Option(names = "--dtype", description = "Precision (default: fp32).")
    String dtype = "fp32";
    @Option(names = "--limit", description = "Only the first N scenes (default: all).")
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
}
