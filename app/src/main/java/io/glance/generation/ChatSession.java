package io.glance.generation;

import io.glance.model.ModelFolder;
import io.glance.prompt.ChatMessage;
import io.glance.prompt.StreamingDetokenizer;
import io.glance.prompt.TextTokenizer;
import io.glance.vision.DecodedImage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One conversation with the model: questions with or without images, answers streamed token by token.
 *
 * <p>{@link #ask} is the whole generation in two named phases. <em>Prefill</em>: the conversation is
 * rendered with the family's chat template, each image expanded into its image tokens and tokenized, and given
 * the family's position ids; the longest prefix already in the KV cache is kept (a follow-up about the same
 * image re-encodes nothing), only new images go through the vision encoder, and the rest of the prompt runs
 * through the decoder with image features in place of the image tokens. <em>Decode</em>: one token per step
 * from the sampler, fed back through the cache at the next position, until a stop token, the token limit or a
 * cancel. What differs between model families comes in a {@link ModelFormat}; this loop is the same for all.
 *
 * <p>Confined to one inference thread (the caller's); {@link Cancellation} is the only way in from others.
 * Owns the KV cache: close it.
 */
public final class ChatSession implements AutoCloseable {
    private final VisionLanguageModel model;
    private final TextTokenizer tokenizer;
    private final ModelFormat format;
    private final Set<Integer> stopTokens;
    private final String systemPrompt;

    private final List<ChatMessage> messages = new ArrayList<>();
    /** Per image of the conversation, in order: its layout and its encoder output. */
    private final List<ImageLayout> layouts = new ArrayList<>();
    private final List<ImageFeatures> features = new ArrayList<>();
    private DecoderCache cache;

    /**
     * @param format       the model family's preprocessing, prompt and positions (with the user's image settings)
     * @param systemPrompt a system turn put before the first question, or {@code null} for none
     */
    public ChatSession(VisionLanguageModel model, TextTokenizer tokenizer, ModelFormat format, String systemPrompt) {
        ModelFolder folder = model.folder();
        this.model = model;
        this.tokenizer = tokenizer;
        this.format = format;
        this.systemPrompt = systemPrompt == null || systemPrompt.isBlank() ? null : systemPrompt;
        Set<Integer> stops = new HashSet<>(folder.stopTokenIds());
        for (String marker : format.prompt().stopMarkers()) {
            try {
                stops.add(tokenizer.tokenId(marker));
            } catch (IllegalArgumentException notInVocabulary) {
                // the model's own eos ids are enough
            }
        }
        this.stopTokens = Set.copyOf(stops);
    }

    /**
     * Asks a question, optionally about new images, and generates the answer.
     *
     * @param images  images shown with this question (may be empty); not closed here
     * @param onText  receives each new piece of answer text on this thread, as soon as it is complete
     * @param cancel  stops the answer within one decode step (or aborts a long prefill)
     * @return the answer; a cancelled answer keeps what was generated so far, and one cancelled before its
     *         first token leaves the conversation as it was and has empty text
     * @throws GenerationException when inference fails; the conversation is left as it was before the call
     */
    public GenerationResult ask(String question, List<DecodedImage> images, GenerationOptions options,
                                Consumer<String> onText, Cancellation cancel) throws GenerationException {
        long start = System.nanoTime();
        if (images.isEmpty()) {
            return ask(question, List.of(), null, null, options, onText, cancel, start);
        }
        try (EncoderInput pixels = format.images().prepare(images)) {
            return ask(question, pixels.layouts(), pixels, null, options, onText, cancel, start);
        }
    }

    /**
     * Asks a question about pictures this session read ahead ({@link #prepareImages}): the vision encoder does
     * not run again.
     *
     * @throws IllegalArgumentException when another session prepared {@code prepared}
     * @see #ask(String, List, GenerationOptions, Consumer, Cancellation)
     */
    public GenerationResult ask(String question, PreparedImages prepared, GenerationOptions options,
                                Consumer<String> onText, Cancellation cancel) throws GenerationException {
        if (!prepared.fitFor(this)) {
            throw new IllegalArgumentException("these pictures were prepared for another conversation");
        }
        return ask(question, prepared.layouts(), null, prepared.features(), options, onText, cancel, System.nanoTime());
    }

    /**
     * Runs the vision encoder over {@code images} ahead of a question about them, so that the question
     * ({@link #ask(String, PreparedImages, GenerationOptions, Consumer, Cancellation)}) does not wait for it.
     * The conversation is left as it is.
     *
     * @param images not closed here
     * @param cancel aborts the encoder run
     * @throws GenerationException when the encoder fails or is cancelled
     */
    public PreparedImages prepareImages(List<DecodedImage> images, Cancellation cancel) throws GenerationException {
        try (EncoderInput pixels = format.images().prepare(images)) {
            return new PreparedImages(this, pixels.layouts(), model.encodeImages(pixels, cancel));
        }
    }

    /** One question; the new images come as pixels to encode or as features already encoded. */
    private GenerationResult ask(String question, List<ImageLayout> newLayouts, EncoderInput pixels,
                                 ImageFeatures encoded, GenerationOptions options, Consumer<String> onText,
                                 Cancellation cancel, long start) throws GenerationException {
        int messagesBefore = messages.size();
        int imagesBefore = layouts.size();
        try {
            return generate(question, newLayouts, pixels, encoded, options, onText, cancel, start);
        } catch (DecoderCache.CancelledException e) {
            rollBack(messagesBefore, imagesBefore);
            return new GenerationResult("", new int[0], FinishReason.CANCELLED, 0, 0, 0, Timings.NONE);
        } catch (GenerationException | RuntimeException e) {
            rollBack(messagesBefore, imagesBefore);
            throw e;
        }
    }

    /** Forgets a turn that produced no answer, so the conversation is as it was before it. */
    private void rollBack(int messagesBefore, int imagesBefore) {
        messages.subList(messagesBefore, messages.size()).clear();
        layouts.subList(imagesBefore, layouts.size()).clear();
        features.subList(Math.min(imagesBefore, features.size()), features.size()).clear();
    }

    private GenerationResult generate(String question, List<ImageLayout> newLayouts, EncoderInput pixels,
                                      ImageFeatures encoded, GenerationOptions options, Consumer<String> onText,
                                      Cancellation cancel, long start) throws GenerationException {
        // --- prefill: prompt -------------------------------------------------------------------
        layouts.addAll(newLayouts);
        if (messages.isEmpty() && systemPrompt != null) {
            messages.add(ChatMessage.system(systemPrompt));
        }
        messages.add(ChatMessage.user(newLayouts.size(), question));
        int[] prompt = tokenizer.encode(format.prompt().render(messages, layouts));
        int maxPositions = model.folder().textShape().maxPositions();
        if (prompt.length >= maxPositions) {
            throw new GenerationException("the conversation is " + prompt.length + " tokens long, and the model reads "
                    + "at most " + maxPositions + ": start a new chat, or ask a shorter question");
        }
        int maxNewTokens = Math.min(options.maxNewTokens(), maxPositions - prompt.length);
        AnswerClock clock = new AnswerClock(start, maxNewTokens);
        clock.preprocessed();

        if (cache == null) {
            cache = model.newCache();
        }
        int[] imageStarts = imageTokenStarts(prompt);
        int keep = reusablePrefix(prompt, imageStarts);
        cache.truncate(keep);

        // --- prefill: images --------------------------------------------------------------------
        clock.visionStarts();
        if (!newLayouts.isEmpty()) {
            if (encoded == null) {
                encoded = model.encodeImages(pixels, cancel);
                pixels.close();  // not needed while the answer is written
            }
            int row = 0;
            for (ImageLayout layout : newLayouts) {
                int rows = layout.featureRows();
                features.add(encoded.slice(row, row + rows));
                row += rows;
            }
        }
        clock.visionEnds();
        ImageFeatures needed = featuresFrom(imageStarts, keep);
        PositionIds positions = format.positions().positions(prompt, layouts);
        long nextPosition = positions.next();

        // --- prefill: decoder ---------------------------------------------------------------------
        int vocab = model.folder().textShape().vocabSize();
        float[] logits = new float[vocab];
        Sampler sampler = new Sampler(options, vocab);
        sampler.observe(prompt);
        StreamingDetokenizer detokenizer = new StreamingDetokenizer(tokenizer);
        int[] generated = new int[maxNewTokens];
        int count = 0;
        FinishReason finish;
        try {
            clock.prefillStarts();
            cache.expectLength(prompt.length + maxNewTokens);
            cache.append(Arrays.copyOfRange(prompt, keep, prompt.length), needed, positions.slice(keep, prompt.length),
                    logits, cancel);
            clock.prefillEnds();
            // --- decode -------------------------------------------------------------------------------
            while (true) {
                int token = sampler.next(logits);
                clock.token();
                if (!options.ignoreStopTokens() && stopTokens.contains(token)) {
                    finish = FinishReason.STOP;
                    break;
                }
                generated[count++] = token;
                sampler.observe(token);
                String piece = detokenizer.accept(token);
                if (!piece.isEmpty()) {
                    onText.accept(piece);
                }
                if (count == maxNewTokens) {
                    finish = FinishReason.LENGTH;
                    break;
                }
                if (cancel.isCancelled()) {
                    finish = FinishReason.CANCELLED;
                    break;
                }
                cache.append(new int[] {token}, null, PositionIds.consecutive(positions.rows().length, nextPosition++, 1),
                        logits, cancel);
                clock.decoderRan(cache.lastDecoderRunNanos());
            }
        } catch (DecoderCache.CancelledException e) {
            if (count == 0) {
                throw e;
            }
            finish = FinishReason.CANCELLED;
        }
        String tail = detokenizer.flush();
        if (!tail.isEmpty()) {
            onText.accept(tail);
        }
        int[] answerIds = Arrays.copyOf(generated, count);
        String text = tokenizer.decode(answerIds, 0, count).strip();
        messages.add(ChatMessage.assistant(text));

        int imageTokens = newLayouts.stream().mapToInt(ImageLayout::featureRows).sum();
        return new GenerationResult(text, answerIds, finish, prompt.length, keep, imageTokens, clock.timings(count));
    }

    /** Starts a new conversation; the cache's memory is kept for reuse. */
    public void reset() throws GenerationException {
        messages.clear();
        layouts.clear();
        features.clear();
        if (cache != null) {
            cache.truncate(0);
        }
    }

    /** The turns so far, system prompt included. */
    public List<ChatMessage> messages() {
        return List.copyOf(messages);
    }

    /** Index in {@code prompt} of each image's first image token, one per image of the conversation. */
    private int[] imageTokenStarts(int[] prompt) {
        int imageToken = model.folder().imageTokenId();
        int[] starts = new int[layouts.size()];
        int image = 0;
        int i = 0;
        while (i < prompt.length && image < starts.length) {
            if (prompt[i] == imageToken) {
                starts[image] = i;
                int remaining = layouts.get(image).featureRows();
                while (remaining > 0 && i < prompt.length) {
                    if (prompt[i] == imageToken) {
                        remaining--;
                    }
                    i++;
                }
                image++;
            } else {
                i++;
            }
        }
        if (image != starts.length) {
            throw new IllegalStateException("the tokenized prompt holds " + image + " images, expected " + starts.length);
        }
        return starts;
    }

    /**
     * How many leading prompt tokens the cache already holds: the common prefix, never the whole prompt
     * (the last position must run to give logits), and never cutting into an image's tokens.
     */
    private int reusablePrefix(int[] prompt, int[] imageStarts) {
        int[] cached = cache.tokens();
        int limit = Math.min(cached.length, prompt.length - 1);
        int keep = 0;
        while (keep < limit && cached[keep] == prompt[keep]) {
            keep++;
        }
        for (int i = 0; i < imageStarts.length; i++) {
            int end = imageStarts[i] + layouts.get(i).featureRows();
            if (keep > imageStarts[i] && keep < end) {
                keep = imageStarts[i];
            }
        }
        return keep;
    }

    /** Features of every image whose tokens start at or after {@code from}, concatenated; null if none. */
    private ImageFeatures featuresFrom(int[] imageStarts, int from) {
        List<ImageFeatures> parts = new ArrayList<>();
        for (int i = 0; i < imageStarts.length; i++) {
            if (imageStarts[i] >= from) {
                parts.add(features.get(i));
            }
        }
        if (parts.isEmpty()) {
            return null;
        }
        int width = parts.get(0).width();
        int rows = parts.stream().mapToInt(ImageFeatures::rows).sum();
        float[] data = new float[rows * width];
        int offset = 0;
        for (ImageFeatures part : parts) {
            System.arraycopy(part.data(), 0, data, offset, part.data().length);
            offset += part.data().length;
        }
        return new ImageFeatures(data, rows, width);
    }

    @Override
    public void close() {
        if (cache != null) {
            cache.close();
            cache = null;
        }
    }
}
