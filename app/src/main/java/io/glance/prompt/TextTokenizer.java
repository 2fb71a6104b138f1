package io.glance.prompt;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.glance.model.InvalidModelException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The model's own {@code tokenizer.json} through DJL's Hugging Face tokenizers binding, configured for
 * prompts of any length: no truncation, no padding, no added special tokens (the chat template writes
 * them), and DJL's offline mode so that creating it contacts nothing. Owns native memory: close it.
 * Encoding and decoding are safe from any thread.
 */
public final class TextTokenizer implements AutoCloseable {
    private final HuggingFaceTokenizer tokenizer;

    private TextTokenizer(HuggingFaceTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /**
     * Loads {@code tokenizer.json}.
     *
     * @throws InvalidModelException when the file is missing or not a tokenizer
     */
    public static TextTokenizer load(Path tokenizerJson) throws InvalidModelException {
        System.setProperty("ai.djl.offline", "true");
        try {
            return new TextTokenizer(HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of(
                    "addSpecialTokens", "false",
                    "truncation", "false",
                    "padding", "false")));
        } catch (IOException | RuntimeException e) {
            throw new InvalidModelException("cannot load tokenizer " + tokenizerJson + ": " + e.getMessage(), e);
        }
    }

    /** Token ids of {@code text}; special-token strings such as {@code <image>} map to their ids. */
    public int[] encode(String text) {
        long[] ids = tokenizer.encode(text, false, false).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = (int) ids[i];
        }
        return out;
    }

    /** Text of {@code ids}, special tokens left out. */
    public String decode(int[] ids, int from, int to) {
        long[] longs = new long[to - from];
        for (int i = from; i < to; i++) {
            longs[i - from] = ids[i];
        }
        return tokenizer.decode(longs, true);
    }

    /**
     * The id of a single-token string such as {@code <end_of_utterance>}.
     *
     * @throws IllegalArgumentException when the string is not exactly one token
     */
    public int tokenId(String token) {
        int[] ids = encode(token);
        if (ids.length != 1) {
            throw new IllegalArgumentException("'" + token + "' is " + ids.length + " tokens, not one");
        }
        return ids[0];
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
