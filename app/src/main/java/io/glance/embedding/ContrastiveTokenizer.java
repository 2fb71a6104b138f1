package io.glance.embedding;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.glance.model.ConfigJson;
import io.glance.model.InvalidModelException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The model's {@code tokenizer.json} (through DJL's Hugging Face tokenizers binding, offline) with batches made as
 * transformers.js makes them for the zero-shot pipeline: special tokens added, each text cut to
 * {@code model_max_length} of {@code tokenizer_config.json} after they are added (so a cut text loses its end
 * token, as there), then padded on the right with the pad token, to the longest text (CLIP) or to
 * {@code model_max_length} (SigLIP). Owns native memory: close it. Safe from any thread.
 */
public final class ContrastiveTokenizer implements AutoCloseable {
    private static final Map<String, String> OPTIONS = Map.of(
            "addSpecialTokens", "true",
            "truncation", "false",
            "padding", "false");

    private final HuggingFaceTokenizer tokenizer;
    private final int maxLength;
    private final long padId;
    private final boolean padsToMaxLength;

    private ContrastiveTokenizer(HuggingFaceTokenizer tokenizer, int maxLength, long padId, boolean padsToMaxLength) {
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
        this.padId = padId;
        this.padsToMaxLength = padsToMaxLength;
    }

    /**
     * Loads {@code tokenizer.json} and reads {@code model_max_length} and {@code pad_token} from
     * {@code tokenizer_config.json}.
     *
     * @throws InvalidModelException when a file is missing or wrong, or the pad token is not in the vocabulary
     */
    public static ContrastiveTokenizer load(Path root, ContrastiveKind kind) throws InvalidModelException {
        Path configFile = root.resolve("tokenizer_config.json");
        if (!Files.isRegularFile(configFile)) {
            throw new InvalidModelException("model folder " + root + " has no tokenizer_config.json, which gives "
                    + "the text length and pad token");
        }
        ConfigJson config = ConfigJson.read(configFile);
        int maxLength = (int) Math.min(Integer.MAX_VALUE, config.number("model_max_length", Integer.MAX_VALUE));
        String padToken = padToken(config);
        System.setProperty("ai.djl.offline", "true");
        HuggingFaceTokenizer tokenizer;
        try {
            tokenizer = HuggingFaceTokenizer.newInstance(root.resolve("tokenizer.json"), OPTIONS);
        } catch (IOException | RuntimeException e) {
            throw new InvalidModelException("cannot load tokenizer " + root.resolve("tokenizer.json") + ": "
                    + e.getMessage(), e);
        }
        long[] pad = tokenizer.encode(padToken, false, false).getIds();
        if (pad.length != 1) {
            tokenizer.close();
            throw new InvalidModelException("tokenizer_config.json of " + root + " names pad token '" + padToken
                    + "', which is not one token of tokenizer.json");
        }
        return new ContrastiveTokenizer(tokenizer, maxLength, pad[0], kind.padsToMaxLength());
    }

    private static String padToken(ConfigJson config) throws InvalidModelException {
        if (config.optionalObject("pad_token").isPresent()) {
            return config.object("pad_token").string("content").orElseThrow(
                    () -> new InvalidModelException("tokenizer_config.json pad_token has no content"));
        }
        return config.string("pad_token").orElseThrow(
                () -> new InvalidModelException("tokenizer_config.json has no pad_token"));
    }

    /** The texts as one batch. */
    public TextBatch batch(List<String> texts) {
        long[][] encoded = new long[texts.size()][];
        int longest = 0;
        for (int i = 0; i < encoded.length; i++) {
            long[] ids = tokenizer.encode(texts.get(i)).getIds();
            encoded[i] = ids.length > maxLength ? Arrays.copyOf(ids, maxLength) : ids;
            longest = Math.max(longest, encoded[i].length);
        }
        int length = padsToMaxLength && maxLength < Integer.MAX_VALUE ? maxLength : longest;
        long[] ids = new long[encoded.length * length];
        long[] mask = new long[encoded.length * length];
        Arrays.fill(ids, padId);
        for (int i = 0; i < encoded.length; i++) {
            System.arraycopy(encoded[i], 0, ids, i * length, encoded[i].length);
            Arrays.fill(mask, i * length, i * length + encoded[i].length, 1L);
        }
        return new TextBatch(ids, mask, encoded.length, length);
    }

    /** The longest row a batch has: {@code model_max_length}. */
    public int maxLength() {
        return maxLength;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
