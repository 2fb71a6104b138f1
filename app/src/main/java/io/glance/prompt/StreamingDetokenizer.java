package io.glance.prompt;

import java.util.Arrays;

/**
 * Turns generated token ids into text as they arrive without ever emitting half a character: a byte-level
 * token that ends inside a UTF-8 sequence is held back until the sequence completes. Decodes a short
 * window (the last emitted tokens plus the new ones) each time so the cost per token stays flat.
 * Special tokens produce no text. One per answer; not thread-safe.
 */
public final class StreamingDetokenizer {
    private static final char REPLACEMENT = '\uFFFD';

    private final TextTokenizer tokenizer;
    private int[] ids = new int[64];
    private int size;
    private int prefixOffset;
    private int readOffset;

    public StreamingDetokenizer(TextTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** Adds one token and returns the text it completes, possibly empty. */
    public String accept(int tokenId) {
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
        }
        ids[size++] = tokenId;
        String before = tokenizer.decode(ids, prefixOffset, readOffset);
        String after = tokenizer.decode(ids, prefixOffset, size);
        if (after.length() > before.length() && after.charAt(after.length() - 1) != REPLACEMENT) {
            prefixOffset = readOffset;
            readOffset = size;
            return after.substring(before.length());
        }
        return "";
    }

    /** Text still held back at the end of the answer (an incomplete character shows as U+FFFD). */
    public String flush() {
        String before = tokenizer.decode(ids, prefixOffset, readOffset);
        String after = tokenizer.decode(ids, prefixOffset, size);
        prefixOffset = readOffset = size;
        return after.length() > before.length() ? after.substring(before.length()) : "";
    }
}
