package io.glance.embedding;

import io.glance.vision.DecodedImage;

import java.util.List;

/**
 * An image–text embedding model loaded for use: pictures and texts to unit vectors in one space (cosine
 * similarity is their dot product), and zero-shot labels. A batch is one graph run: where the graph quantizes
 * activations dynamically (q8, int8, uint8: one scale per tensor) its rows depend slightly on each other, as in
 * the reference, so values meant to be stored are computed one input at a time. Implementations own native memory: close it. Confined
 * to one thread at a time (the caller's inference thread).
 */
public interface EmbeddingModel extends AutoCloseable {
    /** The reference's hypothesis template for zero-shot labels. */
    String DEFAULT_TEMPLATE = "This is a photo of {}";

    /** The text a label is scored as: the first {@code {}} of {@code template} replaced by it, as the reference does. */
    static String hypothesis(String template, String label) {
        int at = template.indexOf("{}");
        return at < 0 ? template : template.substring(0, at) + label + template.substring(at + 2);
    }

    /** The layout, which decides padding and how logits become probabilities. */
    ContrastiveKind kind();

    /** The model id recorded with stored embeddings: the model folder's name and precision. */
    String id();

    /**
     * Unit-length embeddings of pictures, in order.
     *
     * @throws IllegalStateException when the model was loaded without its vision graph
     */
    float[][] embedImages(List<DecodedImage> images);

    /**
     * Unit-length embeddings of texts, in order, tokenized (and truncated) as the reference does.
     *
     * @throws IllegalStateException when the model was loaded without its text graph
     */
    float[][] embedTexts(List<String> texts);

    /**
     * The probability of each label for one picture, best first, as the reference's zero-shot image
     * classification computes it: each label put into {@code template} at {@code {}}, the combined graph's
     * logits, then softmax (CLIP) or sigmoid (SigLIP).
     *
     * @throws IllegalStateException when the model was loaded without its combined graph
     */
    List<LabelScore> classify(DecodedImage image, List<String> labels, String template);

    @Override
    void close();
}
