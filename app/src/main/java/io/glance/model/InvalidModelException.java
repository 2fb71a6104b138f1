package io.glance.model;

/**
 * A model folder that cannot be used: a missing or unreadable file, a config without a needed key, or a
 * graph whose inputs and outputs are not the published ones. The message names the file and what was
 * expected, and is meant to be shown to the user as it is.
 */
public class InvalidModelException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidModelException(String message) {
        super(message);
    }

    public InvalidModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
