package io.glance.embedding;

import io.glance.vision.DecodedImage;
import io.glance.vision.ImageDecoder;
import io.glance.vision.ImageLoadException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * How well an image–text model finds and labels the pictures of a {@link HeldOutScenes} set, through the same calls
 * the app makes. Text-to-image retrieval: each retrieval picture's description is a query over all retrieval
 * pictures; a hit at rank k is a picture that holds every object the query names (the query's own picture, or
 * another with the same objects). Zero-shot: each one-object picture labelled with the colour names and with the
 * shape names (the reference's default template); right when the best label is its colour (shape). Confined to
 * the model's thread.
 */
public final class RetrievalEvaluation {
    /**
     * The figures.
     *
     * @param queries          retrieval queries (= retrieval pictures)
     * @param recallAt1        share of queries whose first picture holds what they name
     * @param recallAt5        share whose first five pictures include one that holds it
     * @param ownPictureFirst  share whose own picture ranks first
     * @param labelled         one-object pictures labelled
     * @param colorAccuracy    share whose best colour label is right
     * @param shapeAccuracy    share whose best shape label is right
     */
    public record Report(int queries, double recallAt1, double recallAt5, double ownPictureFirst, int labelled,
                         double colorAccuracy, double shapeAccuracy) {
    }

    private final EmbeddingModel model;

    public RetrievalEvaluation(EmbeddingModel model) {
        this.model = model;
    }

    /**
     * Runs the whole set.
     *
     * @throws ImageLoadException when a picture of the set cannot be read
     */
    public Report evaluate(HeldOutScenes set) throws ImageLoadException {
        ImageDecoder decoder = new ImageDecoder();
        List<HeldOutScenes.Scene> pool = set.ofKind("scenes");
        List<float[]> pictures = new ArrayList<>();
        for (HeldOutScenes.Scene scene : pool) {
            try (DecodedImage image = decoder.decode(set.folder().resolve(scene.image()))) {
                pictures.add(model.embedImages(List.of(image))[0]);
            }
        }
        int at1 = 0;
        int at5 = 0;
        int own = 0;
        for (int q = 0; q < pool.size(); q++) {
            float[] query = model.embedTexts(List.of(pool.get(q).description()))[0];
            Set<HeldOutScenes.Thing> wanted = Set.copyOf(pool.get(q).objects());
            double[] similarity = pictures.stream().mapToDouble(picture -> dot(query, picture)).toArray();
            List<Integer> ranked = IntStream.range(0, pool.size()).boxed()
                    .sorted(Comparator.comparingDouble(i -> -similarity[i])).toList();
            at1 += pool.get(ranked.get(0)).holds(wanted) ? 1 : 0;
            at5 += ranked.subList(0, Math.min(5, ranked.size())).stream().anyMatch(i -> pool.get(i).holds(wanted)) ? 1 : 0;
            own += ranked.get(0) == q ? 1 : 0;
        }
        List<HeldOutScenes.Scene> singles = set.ofKind("single");
        int colors = 0;
        int shapes = 0;
        for (HeldOutScenes.Scene scene : singles) {
            HeldOutScenes.Thing thing = scene.objects().get(0);
            try (DecodedImage image = decoder.decode(set.folder().resolve(scene.image()))) {
                colors += best(image, set.colors()).equals(thing.color()) ? 1 : 0;
                shapes += best(image, set.shapes()).equals(thing.shape()) ? 1 : 0;
            }
        }
        return new Report(pool.size(), share(at1, pool.size()), share(at5, pool.size()), share(own, pool.size()),
                singles.size(), share(colors, singles.size()), share(shapes, singles.size()));
    }

    private String best(DecodedImage image, List<String> labels) {
        return model.classify(image, labels, EmbeddingModel.DEFAULT_TEMPLATE).get(0).label();
    }

    private static double share(int count, int total) {
        return total == 0 ? 0 : (double) count / total;
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
