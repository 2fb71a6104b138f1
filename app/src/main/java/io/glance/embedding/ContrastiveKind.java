package io.glance.embedding;

import io.glance.model.InvalidModelException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The two layouts of image–text models that transformers.js runs, by {@code model_type}: what their graphs call
 * the embeddings, how their texts are padded, and how logits become probabilities. Immutable; safe on any thread.
 */
public enum ContrastiveKind {
    /** OpenAI CLIP: texts padded to the longest of a batch, softmax over the labels. */
    CLIP("clip", "text_embeds", "image_embeds", false),
    /** Google SigLIP and fixed-resolution SigLIP 2: texts padded to the model's length, a sigmoid per label. */
    SIGLIP("siglip", "pooler_output", "pooler_output", true);

    private final String modelType;
    private final String textOutput;
    private final String imageOutput;
    private final boolean padsToMaxLength;

    ContrastiveKind(String modelType, String textOutput, String imageOutput, boolean padsToMaxLength) {
        this.modelType = modelType;
        this.textOutput = textOutput;
        this.imageOutput = imageOutput;
        this.padsToMaxLength = padsToMaxLength;
    }

    /**
     * The kind a config's {@code model_type} names.
     *
     * @throws InvalidModelException listing the supported types when it names none
     */
    public static ContrastiveKind of(String modelType, Object where) throws InvalidModelException {
        for (ContrastiveKind kind : values()) {
            if (kind.modelType.equals(modelType)) {
                return kind;
            }
        }
        throw new InvalidModelException(where + " is a '" + modelType + "' model; image–text embeddings need one of "
                + supportedTypes());
    }

    /** The {@code model_type}s, for messages: {@code clip, siglip}. */
    public static String supportedTypes() {
        return Arrays.stream(values()).map(kind -> kind.modelType).collect(Collectors.joining(", "));
    }

    /** The {@code model_type} of the config. */
    public String modelType() {
        return modelType;
    }

    /** The text graph's embedding output. */
    public String textOutput() {
        return textOutput;
    }

    /** The vision graph's embedding output. */
    public String imageOutput() {
        return imageOutput;
    }

    /** Whether texts are padded to the tokenizer's {@code model_max_length} (else to the longest of the batch). */
    public boolean padsToMaxLength() {
        return padsToMaxLength;
    }

    /**
     * One picture's label probabilities from its logits, as the reference's zero-shot pipeline computes them:
     * softmax over the labels for CLIP, an independent sigmoid per label for SigLIP.
     */
    public float[] probabilities(float[] logits) {
        float[] out = new float[logits.length];
        if (this == SIGLIP) {
            for (int i = 0; i < logits.length; i++) {
                out[i] = (float) (1 / (1 + Math.exp(-logits[i])));
            }
            return out;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (float logit : logits) {
            max = Math.max(max, logit);
        }
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            double e = Math.exp(logits[i] - max);
            out[i] = (float) e;
            sum += e;
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (out[i] / sum);
        }
        return out;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
