package io.glance.generation;

/**
 * A picture that a model family cannot read, such as one far longer than it is wide for Qwen-VL; the message says
 * why, for the person who chose it. Bad input, not an inference failure.
 */
public final class UnsupportedPictureException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UnsupportedPictureException(String message) {
        super(message);
    }
}
