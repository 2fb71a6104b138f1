package io.glance.session;

import io.glance.vision.DecodedImage;

/**
 * What happens to one question, told by {@link ModelHost} on the inference thread, in this order: {@link #started},
 * {@link #picture} when the question brings a new picture, {@link #text} for each piece of the answer, then one
 * of {@link #answered}, {@link #failed} or {@link #stoppedBeforeStart}. A question stopped before its turn came
 * hears nothing.
 */
public interface AnswerListener {
    /** The question's turn has come: the work asked for before it is done. */
    void started();

    /** The new picture the question is about; valid during the call only (copy what is kept). */
    void picture(DecodedImage picture);

    /** The next piece of the answer, as soon as it is complete text. */
    void text(String piece);

    /** The answer ended: finished, cut at its limit, or stopped after it began. */
    void answered(Answer answer);

    /** Loading the model or the picture, or inference, failed; {@code message} is meant for people. */
    void failed(String message);

    /** Stopped after its turn came but before the model started on it. */
    void stoppedBeforeStart();
}
