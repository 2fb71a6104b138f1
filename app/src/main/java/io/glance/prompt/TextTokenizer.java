package io.glance.prompt;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.LibUtils;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import io.glance.model.InvalidModelException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * The model's own {@code tokenizer.json} through DJL's Hugging Face tokenizers binding, configured for
 * prompts of any length: no truncation, no padding, no added special tokens (the chat template writes
 * them), and DJL's offline mode so that creating it contacts nothing.
 *
 * <p>Prompts are encoded piece by piece ({@link #encode(RenderedPrompt)}): a marker becomes its special id,
 * and text is encoded as ordinary text, which is what Python's {@code split_special_tokens=True} does: typed
 * {@code <image>} or {@code <end_of_utterance>} come out as the ids of ordinary text. Text that holds no special
 * token's string encodes the same either way and goes through the published tokenizer; text that holds one goes
 * through a second instance without the special added tokens, made the first time it is needed (making it
 * costs about as much as loading the first). Owns native memory: close it. Encoding and decoding are safe from
 * any thread.
 */
public final class TextTokenizer implements AutoCloseable {
    private static final Map<String, String> OPTIONS = Map.of(
            "addSpecialTokens", "false",
            "truncation", "false",
            "padding", "false");

    /** The tokenizer as published: decodes, knows the special tokens' ids, and encodes text without their strings. */
    private final HuggingFaceTokenizer full;
    private final Path file;
    /** The strings of the special added tokens, which {@link #full} would read as special in typed text. */
    private final List<String> specialStrings;
    /** The same tokenizer without its special added tokens, made on first need: encodes any text as text. */
    private HuggingFaceTokenizer plain;
    private boolean closed;
    private final Map<String, Integer> markerIds = new ConcurrentHashMap<>();

    private TextTokenizer(HuggingFaceTokenizer full, Path file, List<String> specialStrings) {
        this.full = full;
        this.file = file;
        this.specialStrings = specialStrings;
    }

    /**
     * Loads the tokenizers library's classes and native code (about 90 ms on two cores) ahead of the first {@link
     * #load}, which then only reads its file. Best effort: a failure here shows again, with its message, in {@link
     * #load}. Any thread.
     */
    public static void loadLibrary() {
        System.setProperty("ai.djl.offline", "true");
        try {
            LibUtils.checkStatus();
        } catch (RuntimeException | LinkageError e) {
            // load() meets it again and says so
        }
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
            return new TextTokenizer(full, tokenizerJson, specialAddedTokens(tokenizerJson));
        } catch (IOException | RuntimeException e) {
            if (full != null) {
                full.close();
            }
            throw new InvalidModelException("cannot load tokenizer " + tokenizerJson + ": " + e.getMessage(), e);
        }
    }

    /**
     * The strings of the {@code added_tokens} marked {@code special}, read as a stream that stops after them (they
     * come before the vocabulary in the files the tokenizers library writes, so the rest is rarely read).
     */
    private static List<String> specialAddedTokens(Path tokenizerJson) throws IOException {
        List<String> specials = new ArrayList<>();
        try (JsonReader reader = new JsonReader(Files.newBufferedReader(tokenizerJson, StandardCharsets.UTF_8))) {
            reader.beginObject();
            while (reader.hasNext()) {
                if (!reader.nextName().equals("added_tokens") || reader.peek() != JsonToken.BEGIN_ARRAY) {
                    reader.skipValue();
                    continue;
                }
                reader.beginArray();
                while (reader.hasNext()) {
                    JsonObject token = JsonParser.parseReader(reader).getAsJsonObject();
                    if (isSpecial(token) && token.has("content")) {
                        specials.add(token.get("content").getAsString());
                    }
                }
                return List.copyOf(specials);
            }
            return List.of();
        } catch (IllegalStateException | JsonParseException e) {
            throw new IOException("not a tokenizer.json: " + e.getMessage(), e);
        }
    }

    /** The instance without special added tokens, made on the first call. */
    private synchronized HuggingFaceTokenizer plain() {
        if (closed) {
            throw new IllegalStateException("the tokenizer is closed");
        }
        if (plain == null) {
            try {
                plain = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(withoutSpecialAddedTokens(file)),
                        OPTIONS);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + " again", e);
            }
        }
        return plain;
    }

    /** The tokenizer's JSON with every {@code added_tokens} entry marked {@code special} left out. */
    private static byte[] withoutSpecialAddedTokens(Path tokenizerJson) throws IOException {
        JsonObject root;
        try (Reader reader = Files.newBufferedReader(tokenizerJson, StandardCharsets.UTF_8)) {
            root = JsonParser.parseReader(reader).getAsJsonObject();
        } catch (IllegalStateException | JsonParseException e) {
            throw new IOException("not a tokenizer.json: " + e.getMessage(), e);
        }
        JsonArray kept = new JsonArray();
        if (root.has("added_tokens") && root.get("added_tokens").isJsonArray()) {
            for (JsonElement token : root.getAsJsonArray("added_tokens")) {
                if (!isSpecial(token.getAsJsonObject())) {
                    kept.add(token);
                }
            }
        }
        root.add("added_tokens", kept);
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Whether an {@code added_tokens} entry is marked {@code special}. */
    private static boolean isSpecial(JsonObject addedToken) {
        JsonElement special = addedToken.get("special");
        return special != null && special.getAsBoolean();
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
        boolean holdsSpecial = specialStrings.stream().anyMatch(text::contains);
        return toInts((holdsSpecial ? plain() : full).encode(text, false, false).getIds());
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
        synchronized (this) {
            closed = true;
            if (plain != null) {
                plain.close();
            }
        }
    }
}
