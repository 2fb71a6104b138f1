package io.glance.ui.library;

import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.scene.image.Image;

import java.nio.file.Path;

/**
 * One search hit as the library window shows it: the file, its path in the library, its caption, why it matched
 * and a thumbnail that arrives once decoded off the FX thread. FX thread only.
 */
public final class LibraryResult {
    private final Path file;
    private final String path;
    private final String caption;
    private final String why;
    private final ReadOnlyObjectWrapper<Image> thumbnail = new ReadOnlyObjectWrapper<>();

    /**
     * @param file    the image file, absolute
     * @param path    the path relative to the library folder, {@code /}-separated
     * @param caption the image's caption, or empty when it has none
     * @param why     why it matched, for people
     */
    LibraryResult(Path file, String path, String caption, String why) {
        this.file = file;
        this.path = path;
        this.caption = caption;
        this.why = why;
    }

    public Path file() {
        return file;
    }

    public String path() {
        return path;
    }

    public String caption() {
        return caption;
    }

    /** Why it matched: "caption matches the words (#2); picture similar to the query (0.31)". */
    public String why() {
        return why;
    }

    /** The scaled-down picture, null until decoded. */
    public ReadOnlyObjectProperty<Image> thumbnailProperty() {
        return thumbnail.getReadOnlyProperty();
    }

    void showThumbnail(Image image) {
        thumbnail.set(image);
    }
}
