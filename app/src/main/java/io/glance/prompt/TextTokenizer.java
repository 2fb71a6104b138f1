package io.glance.prompt;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.glance.model.InvalidModelException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * The model's own {@code tokenizer.json} through DJL's Hugging Face tokenizers binding, configured for
 * prompts of any length: no truncation, no padding, no added special tokens (the chat template writes
 * them), and DJL's offline mode so that creating it contacts nothing.
 *
 * <p>Prompts are encoded piece by piece ({@link #encode(RenderedPrompt)}): a marker becomes its special id,
 * and text is encoded by a second instance of the same tokenizer without its special added tokens, which is
 * what Python's {@code split_special_tokens=True} does: typed {@code <image>} or {@code <end_of_utterance>}
 * come out as the ids of ordinary text. Owns native memory: close it. Encoding and decoding are safe from any
 * thread.
 */
public final class TextTokenizer implements AutoCloseable {
    private static final Map<String, String> OPTIONS = Map.of(
            "addSpecialTokens", "false",
            "truncation", "false",
            "padding", "false");

    /** The tokenizer as published: decodes, and knows the special tokens' ids. */
    private final HuggingFaceTokenizer full;
    /** The same tokenizer without its special added tokens: encodes text as text. */
    private final HuggingFaceTokenizer plain;
    private final Map<String, Integer> markerIds = new ConcurrentHashMap<>();

    private TextTokenizer(HuggingFaceTokenizer full, HuggingFaceTokenizer plain) {
        this.full = full;
        this.plain = plain;
    }

    /**
     * Loads {@code tokenizer.json}.
     *
     * @throws InvalidModelException when the file is missing or not a tokenizer
     */
    public static TextTokenizer load(Path tokenizerJson) throws InvalidModelException {
        System.setProperty("ai.djl.offline", "true");
        HuggingFaceTokenizer full = null;
        try {
            full = HuggingFaceTokenizer.newInstance(tokenizerJson, OPTIONS);
            byte[] withoutSpecials = withoutSpecialAddedTokens(tokenizerJson);
            return new TextTokenizer(full, HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(withoutSpecials), OPTIONS));
        } catch (IOException | RuntimeException e) {
            if (full != null) {
                full.close();
            }
            throw new InvalidModelException("cannot load tokenizer " + tokenizerJson + ": " + e.getMessage(), e);
        }
    }

    /** The tokenizer's JSON with every {@code added_tokens} entry marked {@code special} left out. */
    private static byte[] withoutSpecialAddedTokens(Path tokenizerJson) throws IOException {
        JsonObject root;
        try (Reader reader = Files.newBufferedReader(tokenizerJson, StandardCharsets.UTF_8)) {
            root = JsonParser.parseReader(reader).getAsJsonObject();
        } catch (IllegalStateException | com.google.gson.JsonParseException e) {
            throw new IOException("not a tokenizer.json: " + e.getMessage(), e);
        }
        JsonArray kept = new JsonArray();
        if (root.has("added_tokens") && root.get("added_tokens").isJsonArray()) {
            for (JsonElement token : root.getAsJsonArray("added_tokens")) {
                JsonElement special = token.getAsJsonObject().get("special");
                if (special == null || !special.getAsBoolean()) {
                    kept.add(token);
                }
            }
        }
        root.add("added_tokens", kept);
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Token ids of a prompt: each marker's id, and each run of text encoded as ordinary text.
     *
     * @throws IllegalArgumentException when the prompt still has an image slot, or a marker is not one special token
     */
    public int[] encode(RenderedPrompt prompt) {
        IntStream.Builder ids = IntStream.builder();
        StringBuilder text = new StringBuilder();
        for (PromptPiece piece : prompt.pieces()) {
            if (piece instanceof PromptPiece.Text part) {
                text.append(part.text());
                continue;
            }
            if (text.length() > 0) {
                IntStream.of(encodeText(text.toString())).forEach(ids);
                text.setLength(0);
            }
            if (piece instanceof PromptPiece.Marker marker) {
                int id = tokenId(marker.token());
                for (int i = 0; i < marker.repeat(); i++) {
                    ids.accept(id);
                }
            } else {
                throw new IllegalArgumentException("the prompt still has an image slot; expand it first");
            }
        }
        if (text.length() > 0) {
            IntStream.of(encodeText(text.toString())).forEach(ids);
        }
        return ids.build().toArray();
    }

    /** Token ids of {@code text} as ordinary text: special-token strings in it are not looked for. */
    public int[] encodeText(String text) {
        return toInts(plain.encode(text, false, false).getIds());
    }

    /** Text of {@code ids}, special tokens left out. */
    public String decode(int[] ids, int from, int to) {
        long[] longs = new long[to - from];
        for (int i = from; i < to; i++) {
            longs[i - from] = ids[i];
        }
        return full.decode(longs, true);
    }

    /**
     * The id of a special token such as {@code <end_of_utterance>}.
     *
     * @throws IllegalArgumentException when the string is not exactly one token
     */
    public int tokenId(String token) {
        Integer known = markerIds.get(token);
        if (known != null) {
            return known;
        }
        int[] ids = toInts(full.encode(token, false, false).getIds());
        if (ids.length != 1) {
            throw new IllegalArgumentException("'" + token + "' is " + ids.length + " tokens, not one");
        }
        markerIds.put(token, ids[0]);
        return ids[0];
    }

    private static int[] toInts(long[] ids) {
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = (int) ids[i];
        }
        return out;
    }

    @Override
    public void close() {
        full.close();
        plain.close();
    }
}
