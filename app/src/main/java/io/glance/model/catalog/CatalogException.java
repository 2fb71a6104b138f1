package io.glance.model.catalog;

/** A catalog file that cannot be read or does not follow the catalog format; the message names what is wrong. */
public class CatalogException extends Exception {
    private static final long serialVersionUID = 1L;

    public CatalogException(String message) {
        super(message);
    }

    public CatalogException(String message, Throwable cause) {
        super(message, cause);
    }
}
