package io.glance.ui.library;

import io.glance.library.LibrarySearch;

/** How the library window ranks a search, as people choose it; its text is the choice's label. Immutable. */
public enum SearchMode {
    HYBRID("Words and meaning", LibrarySearch.Mode.HYBRID),
    SEMANTIC("Meaning", LibrarySearch.Mode.SEMANTIC),
    TEXT("Caption words", LibrarySearch.Mode.TEXT);

    private final String label;
    private final LibrarySearch.Mode mode;

    SearchMode(String label, LibrarySearch.Mode mode) {
        this.label = label;
        this.mode = mode;
    }

    LibrarySearch.Mode mode() {
        return mode;
    }

    @Override
    public String toString() {
        return label;
    }
}
