package io.glance.cli;

/** Bad input from the command line (a missing file, an unknown option value): exit code 2, one line on stderr. */
public class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
