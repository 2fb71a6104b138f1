package io.glance.generation;

/**
 * Inference failed in the backend (a native error, out of memory, a graph that does not accept its
 * inputs). The message is meant for the user. A cancelled run is not an error: it ends with
 * {@link FinishReason#CANCELLED}.
 */
public class GenerationException extends Exception {
    private static final long serialVersionUID = 1L;

    public GenerationException(String message, Throwable cause) {
        super(message, cause);
    }

    public GenerationException(String message) {
        super(message);
    }
}
