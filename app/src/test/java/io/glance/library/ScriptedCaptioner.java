package io.glance.library;

import io.glance.generation.Cancellation;
import io.glance.generation.GenerationException;
import io.glance.vision.DecodedImage;

/**
 * A captioner without a model: numbers its captions and can run a test's action while "captioning" (to
 * cancel in flight or fail). Confined to the test thread.
 */
final class ScriptedCaptioner implements Captioner {
    /** What to do during one caption; may throw to fail it. */
    @FunctionalInterface
    interface DuringCaption {
        void run(int call, Cancellation cancel) throws GenerationException;
    }

    private final CaptionSetup setup;
    private DuringCaption during = (call, cancel) -> { };
    private int calls;

    ScriptedCaptioner(String prompt) {
        this.setup = new CaptionSetup("scripted", "fp32", prompt);
    }

    ScriptedCaptioner during(DuringCaption action) {
        this.during = action;
        return this;
    }

    int calls() {
        return calls;
    }

    @Override
    public CaptionSetup setup() {
        return setup;
    }

    @Override
    public String caption(DecodedImage image, Cancellation cancel) throws GenerationException {
        calls++;
        during.run(calls, cancel);
        return "caption " + calls + " of a " + image.width() + "x" + image.height() + " image";
    }
}
