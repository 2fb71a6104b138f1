package io.glance.generation;

/** Why an answer ended. */
public enum FinishReason {
    /** The model produced a stop token. */
    STOP,
    /** The answer reached the maximum number of new tokens. */
    LENGTH,
    /** Someone called {@link Cancellation#cancel()}. */
    CANCELLED;

    /** {@code stop}, {@code length}, {@code cancelled}: the CLI's JSON values. */
    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
