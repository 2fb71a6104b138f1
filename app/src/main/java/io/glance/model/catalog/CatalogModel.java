package io.glance.model.catalog;

import io.glance.model.GraphKind;
import io.glance.model.Precision;
import io.glance.model.ModelFolder;
import io.glance.model.PrecisionSet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A model the user can install: where it comes from, which files each precision set needs, and what the
 * catalog knows about their sizes and checksums. Immutable; safe on any thread.
 *
 * @param id              stable id used on the command line and in settings, e.g. {@code smolvlm-256m-instruct}
 * @param name            display name
 * @param repo            Hugging Face repository ({@code owner/name}), or {@code null} for the bundled model
 * @param revision        branch, tag or commit to download from ({@code main} when no commit is pinned)
 * @param revisionPinned  whether {@code revision} is an immutable commit hash
 * @param bundled         shipped with the app; never downloaded
 * @param description     one line for the user
 * @param family          the model family as people know it, e.g. {@code SmolVLM}, {@code Qwen2-VL}
 * @param goodAt          what the model is good at, in a few words
 * @param licence         SPDX licence id
 * @param recommendedCpu  precision set suggested for CPU inference
 * @param recommendedGpu  precision set suggested for GPU inference
 * @param precisionSets   precision sets offered to the user, recommended first
 * @param verification    how downloaded files are verified, in words (shown to users who ask)
 * @param files           every file the catalog knows: config files and the onnx graphs of each precision
 */
public record CatalogModel(String id, String name, String repo, String revision, boolean revisionPinned,
                           boolean bundled, String description, String family, String goodAt, String licence, PrecisionSet recommendedCpu,
                           PrecisionSet recommendedGpu, List<PrecisionSet> precisionSets, String verification,
                           List<CatalogFile> files) {

    public CatalogModel {
        precisionSets = List.copyOf(precisionSets);
        files = List.copyOf(files);
    }

    /** One line for people: family, description and what it is good at. */
    public String summary() {
        return family + ": " + description + " Good at: " + goodAt + ".";
    }

    /** Whether {@code text} names this model: its id, its name or its repository, ignoring case. */
    public boolean isNamed(String text) {
        String wanted = text.trim().toLowerCase(Locale.ROOT);
        return id.equals(wanted) || name.toLowerCase(Locale.ROOT).equals(wanted)
                || (repo != null && repo.toLowerCase(Locale.ROOT).equals(wanted));
    }

    /**
     * The files a precision set needs: every non-graph file plus, for every graph the catalog lists
     * ({@code onnx/<stem><precision suffix>.onnx}), the file of that graph's precision: a vision-language model's
     * three graphs as the set says, any other graph (CLIP's text, vision and combined graphs) in the set's vision
     * precision.
     *
     * @throws IllegalArgumentException when the catalog lists no file for one of the graphs
     */
    public List<CatalogFile> filesFor(PrecisionSet precisions) {
        List<CatalogFile> needed = new ArrayList<>();
        Set<String> stems = new LinkedHashSet<>();
        for (CatalogFile file : files) {
            if (file.path().startsWith("onnx/") && file.path().endsWith(".onnx")) {
                stems.add(graphStem(file.path().substring("onnx/".length(), file.path().length() - ".onnx".length())));
            } else {
                needed.add(file);
            }
        }
        for (String stem : stems) {
            Precision precision = Arrays.stream(GraphKind.values()).filter(graph -> graph.fileStem().equals(stem))
                    .findFirst().map(precisions::of).orElse(precisions.vision());
            String path = "onnx/" + stem + precision.fileSuffix() + ".onnx";
            needed.add(file(path).orElseThrow(() -> new IllegalArgumentException(
                    id + " has no " + path + " in the catalog; offered precisions: " + precisionSets)));
        }
        return needed;
    }

    /** A graph file's name without its precision suffix: {@code vision_model_quantized} → {@code vision_model}. */
    private static String graphStem(String name) {
        return Arrays.stream(Precision.values()).filter(p -> !p.fileSuffix().isEmpty() && name.endsWith(p.fileSuffix()))
                .max(Comparator.comparingInt(p -> p.fileSuffix().length()))
                .map(p -> name.substring(0, name.length() - p.fileSuffix().length())).orElse(name);
    }

    /**
     * What the catalog knows about the size of a precision set.
     *
     * @param knownBytes       sum of the sizes the catalog lists
     * @param filesWithoutSize files whose size is not in the catalog (0 when {@code knownBytes} is exact)
     */
    public record DownloadSize(long knownBytes, int filesWithoutSize) {
    }

    /** The download size of a precision set's files, as far as the catalog knows it. */
    public DownloadSize downloadSize(PrecisionSet precisions) {
        long known = 0;
        int unknown = 0;
        for (CatalogFile file : filesFor(precisions)) {
            if (file.hasSize()) {
                known += file.size();
            } else {
                unknown++;
            }
        }
        return new DownloadSize(known, unknown);
    }

    /** The catalog entry for one path, if listed. */
    public Optional<CatalogFile> file(String path) {
        return files.stream().filter(f -> f.path().equals(path)).findFirst();
    }

    /** The families of image–text models. */
    private static final Set<String> IMAGE_TEXT_FAMILIES = Set.of("CLIP", "SigLIP");

    /** The config files the engine needs, for checking that a catalog lists them. */
    List<String> requiredConfigFiles() {
        return imageText() ? ModelFolder.IMAGE_TEXT_CONFIG_FILES : ModelFolder.CONFIG_FILES;
    }

    /**
     * Whether it is an image–text (CLIP-family) model: its graphs are a text model and a vision model, or, bundled
     * (no files listed), its family is CLIP or SigLIP.
     */
    public boolean imageText() {
        return files.stream().anyMatch(file -> file.path().startsWith("onnx/text_model"))
                || (bundled && IMAGE_TEXT_FAMILIES.contains(family));
    }
}
