package io.glance.generation;

import io.glance.model.ModelFolder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * A test double for the model port: logits put all mass on the token the script picks for the number of
 * tokens generated so far in the current answer; records what the generation loop asked of it.
 */
public final class ScriptedModel implements VisionLanguageModel {
    private final ModelFolder folder;
    private final IntUnaryOperator script;
    final List<int[]> appended = new ArrayList<>();
    final List<Integer> truncations = new ArrayList<>();
    /** The single row of position ids of every append, in order. */
    final List<long[]> positions = new ArrayList<>();
    /** How many times the vision encoder was asked to run. */
    public int encodeCalls;
    int encodedImages;
    /** Every encoder input it was given, in order. */
    final List<EncoderInput> encoded = new ArrayList<>();
    /** Per append, whether every encoder input given so far had been freed by then. */
    final List<Boolean> pixelsFreedAtAppend = new ArrayList<>();
    int answerStart;
    GenerationException failNextAppend;

    /** @param script maps "tokens generated so far in this answer" to the next token id */
    public ScriptedModel(ModelFolder folder, IntUnaryOperator script) {
        this.folder = folder;
        this.script = script;
    }

    @Override
    public ModelFolder folder() {
        return folder;
    }

    @Override
    public ImageFeatures encodeImages(EncoderInput input, Cancellation cancel) {
        encodeCalls++;
        encodedImages += input.layouts().size();
        encoded.add(input);
        int rows = input.featureRows();
        int width = folder.textShape().hiddenSize();
        return new ImageFeatures(new float[rows * width], rows, width);
    }

    @Override
    public DecoderCache newCache() {
        return new DecoderCache() {
            private int[] tokens = new int[0];

            @Override
            public int[] tokens() {
                return tokens.clone();
            }

            @Override
            public int length() {
                return tokens.length;
            }

            @Override
            public void truncate(int length) {
                truncations.add(length);
                tokens = Arrays.copyOf(tokens, length);
            }

            @Override
            public void append(int[] ids, ImageFeatures features, PositionIds positions, float[] logits,
                               Cancellation cancel)
                    throws GenerationException {
                if (failNextAppend != null) {
                    GenerationException e = failNextAppend;
                    failNextAppend = null;
                    throw e;
                }
                int imageTokens = (int) Arrays.stream(ids).filter(id -> id == folder.imageTokenId()).count();
                if (imageTokens != (features == null ? 0 : features.rows())) {
                    throw new GenerationException("image tokens " + imageTokens + " vs features");
                }
                appended.add(ids.clone());
                pixelsFreedAtAppend.add(encoded.stream().allMatch(ScriptedModel::freed));
                ScriptedModel.this.positions.add(positions.rows()[0].clone());
                if (ids.length > 1) {
                    answerStart = tokens.length + ids.length;
                }
                int[] grown = Arrays.copyOf(tokens, tokens.length + ids.length);
                System.arraycopy(ids, 0, grown, tokens.length, ids.length);
                tokens = grown;
                Arrays.fill(logits, 0f);
                logits[script.applyAsInt(tokens.length - answerStart)] = 10f;
            }

            @Override
            public long lastDecoderRunNanos() {
                return 1000;
            }

            @Override
            public void close() {
            }
        };
    }

    /** Whether an input's pixels were freed: its runs can no longer be made. */
    static boolean freed(EncoderInput input) {
        try {
            input.runs(false);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    @Override
    public String provider() {
        return "scripted";
    }

    @Override
    public String fallbackReason() {
        return null;
    }

    @Override
    public void close() {
    }
}
