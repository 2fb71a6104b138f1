package io.glance.ui.desktop;

import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;

import java.io.File;
import java.nio.file.Path;
import java.util.List;

/** {@link FileDialogs} as JavaFX's native directory and file choosers. FX thread only. */
final class DesktopFileDialogs implements FileDialogs {

    @Override
    public Path chooseFolder(Window owner, String title) {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle(title);
        File folder = chooser.showDialog(owner);
        return folder == null ? null : folder.toPath();
    }

    @Override
    public List<Path> chooseFiles(Window owner, String title, String kind, List<String> patterns) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(title);
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(kind, patterns));
        List<File> files = chooser.showOpenMultipleDialog(owner);
        return files == null ? List.of() : files.stream().map(File::toPath).toList();
    }

    @Override
    public Path chooseFileToSave(Window owner, String title, String kind, String pattern, String initialName) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(title);
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(kind, pattern));
        chooser.setInitialFileName(initialName);
        File file = chooser.showSaveDialog(owner);
        return file == null ? null : file.toPath();
    }
}
