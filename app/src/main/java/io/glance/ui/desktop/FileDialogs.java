package io.glance.ui.desktop;

import javafx.stage.Window;

import java.nio.file.Path;
import java.util.List;

/**
 * The file and folder choosers the views open, behind one seam so that window tests can answer them without
 * a native dialog. Each call blocks until the person chooses or cancels. FX thread only.
 */
public interface FileDialogs {

    /** The folder chosen, or null when cancelled. */
    Path chooseFolder(Window owner, String title);

    /**
     * The existing files chosen, or an empty list when cancelled.
     *
     * @param patterns what the files are named like ("*.png"), offered under {@code kind}
     */
    List<Path> chooseFiles(Window owner, String title, String kind, List<String> patterns);

    /**
     * The file to write, or null when cancelled.
     *
     * @param pattern     what the file is named like ("*.csv"), offered under {@code kind}
     * @param initialName the name proposed
     */
    Path chooseFileToSave(Window owner, String title, String kind, String pattern, String initialName);

    /** The desktop's own dialogs. */
    static FileDialogs desktop() {
        return new DesktopFileDialogs();
    }
}
