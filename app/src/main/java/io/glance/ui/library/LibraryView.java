package io.glance.ui.library;

import io.glance.ui.controls.AccessibleButton;
import io.glance.ui.desktop.FileDialogs;
import javafx.beans.binding.Bindings;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.AccessibleRole;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.image.ImageView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.TilePane;
import javafx.scene.layout.VBox;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The library window's content: the folder, sub-folder and prompt choices, Caption, Index pictures and Cancel with a
 * progress bar, the skipped files, a search field with its mode (caption words, meaning, both) and the hits as a
 * grid of thumbnails with their captions and why they matched (double-click or Enter opens one; "More like this"
 * finds pictures that look like it; its context menu also reveals it in its folder), and export buttons. Talks only to
 * {@link LibraryViewModel} and its {@link LibraryResult}s; chooses folders and files through {@link FileDialogs}.
 * FX thread only.
 */
public final class LibraryView extends BorderPane {
    private final LibraryViewModel library;
    private final FileDialogs dialogs;
    private final TilePane grid = new TilePane(12, 12);

    public LibraryView(LibraryViewModel library, FileDialogs dialogs) {
        this.library = library;
        this.dialogs = dialogs;
        getStyleClass().add("library-view");
        setPrefSize(980, 680);
        setPadding(new Insets(12, 16, 12, 16));
        setTop(captionControls());
        setCenter(searchAndResults());
        setRight(skippedFiles());
        setBottom(messageAndExport());
    }

    private VBox captionControls() {
        Label folder = new Label();
        folder.setId("libraryFolder");
        folder.textProperty().bind(Bindings.createStringBinding(() -> library.folderProperty().get() == null
                ? "No folder chosen" : library.folderProperty().get().toString(), library.folderProperty()));
        folder.setAccessibleText("Library folder");
        folder.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(folder, Priority.ALWAYS);
        Button choose = AccessibleButton.of("Choose _folder…", "libraryChooseFolder", "Choose the image folder", this::chooseFolder);
        CheckBox recursive = new CheckBox("Include _sub-folders");
        recursive.setId("libraryRecursive");
        recursive.setAccessibleText("Caption the images of sub-folders too");
        recursive.selectedProperty().bindBidirectional(library.recursiveProperty());
        HBox folderRow = new HBox(10, folder, recursive, choose);
        folderRow.setAlignment(Pos.CENTER_LEFT);

        Label promptLabel = new Label("_Prompt:");
        TextField prompt = new TextField();
        prompt.setId("libraryPrompt");
        prompt.setAccessibleText("Question asked about each image");
        prompt.textProperty().bindBidirectional(library.promptProperty());
        promptLabel.setLabelFor(prompt);
        promptLabel.setMnemonicParsing(true);
        HBox.setHgrow(prompt, Priority.ALWAYS);
        HBox promptRow = new HBox(10, promptLabel, prompt);
        promptRow.setAlignment(Pos.CENTER_LEFT);

        Button caption = AccessibleButton.of("_Caption", "libraryCaption", "Caption the folder's new and changed images",
                library::caption);
        caption.disableProperty().bind(library.runningProperty().or(library.folderProperty().isNull()));
        Button index = AccessibleButton.of("_Index pictures", "libraryIndexPictures",
                "Store what the new and changed pictures look like, for search by meaning and more like this (fast)",
                library::indexPictures);
        index.disableProperty().bind(library.runningProperty().or(library.folderProperty().isNull()));
        Button cancel = AccessibleButton.of("Cance_l", "libraryCancel", "Stop the run; the index keeps what was done",
                library::cancel);
        cancel.disableProperty().bind(library.runningProperty().not());
        ProgressBar progress = new ProgressBar(0);
        progress.setId("libraryProgress");
        progress.setAccessibleText("Captioning progress");
        progress.progressProperty().bind(library.progressProperty());
        progress.setPrefWidth(220);
        Label progressText = new Label();
        progressText.setId("libraryProgressText");
        progressText.setAccessibleText("Files done, rate and time left");
        progressText.textProperty().bind(library.progressTextProperty());
        HBox runRow = new HBox(10, caption, index, cancel, progress, progressText);
        runRow.setAlignment(Pos.CENTER_LEFT);

        VBox top = new VBox(8, folderRow, promptRow, runRow);
        top.setPadding(new Insets(0, 0, 12, 0));
        return top;
    }

    private VBox searchAndResults() {
        TextField search = new TextField();
        search.setId("librarySearch");
        search.setPromptText("Search by words or by what the pictures show (Enter)");
        search.setAccessibleText("Search the library");
        search.textProperty().bindBidirectional(library.queryProperty());
        search.setOnAction(e -> library.search());
        ChoiceBox<SearchMode> mode = new ChoiceBox<>(FXCollections.observableArrayList(SearchMode.values()));
        mode.setId("librarySearchMode");
        mode.setAccessibleText("Search by caption words, by meaning, or both");
        mode.valueProperty().bindBidirectional(library.searchModeProperty());
        Button find = AccessibleButton.of("_Search", "librarySearchButton", "Search the library", library::search);
        HBox.setHgrow(search, Priority.ALWAYS);
        HBox searchRow = new HBox(10, search, mode, find);

        grid.setId("libraryResults");
        grid.setPrefTileWidth(LibraryViewModel.THUMBNAIL_EDGE + 16);
        grid.setAccessibleText("Search results");
        ScrollPane scroll = new ScrollPane(grid);
        scroll.setFitToWidth(true);
        scroll.setAccessibleText("Search results");
        VBox.setVgrow(scroll, Priority.ALWAYS);
        library.results().addListener((ListChangeListener<LibraryResult>) change -> showResults());
        return new VBox(8, searchRow, scroll);
    }

    private VBox skippedFiles() {
        Label title = new Label("Skipped files");
        ListView<String> skipped = new ListView<>(library.skipped());
        skipped.setId("librarySkipped");
        skipped.setAccessibleText("Files that could not be captioned, with the reason");
        skipped.setPrefWidth(260);
        title.setLabelFor(skipped);
        VBox.setVgrow(skipped, Priority.ALWAYS);
        VBox box = new VBox(8, title, skipped);
        box.setPadding(new Insets(0, 0, 0, 12));
        return box;
    }

    private HBox messageAndExport() {
        Label message = new Label();
        message.setId("libraryMessage");
        message.setAccessibleText("Library message");
        message.textProperty().bind(library.messageProperty());
        message.setWrapText(true);
        message.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(message, Priority.ALWAYS);
        Button csv = AccessibleButton.of("Export CS_V…", "libraryExportCsv", "Export the captions as CSV",
                () -> chooseExport("CSV", "*.csv", "captions.csv", library::exportCsv));
        Button json = AccessibleButton.of("Export _JSON…", "libraryExportJson", "Export the captions as JSON",
                () -> chooseExport("JSON", "*.json", "captions.json", library::exportJson));
        csv.disableProperty().bind(library.folderProperty().isNull());
        json.disableProperty().bind(library.folderProperty().isNull());
        HBox bottom = new HBox(10, message, csv, json);
        bottom.setAlignment(Pos.CENTER_LEFT);
        bottom.setPadding(new Insets(12, 0, 0, 0));
        return bottom;
    }

    private void showResults() {
        grid.getChildren().setAll(library.results().stream().map(this::tile).toList());
    }

    /** One hit: thumbnail over caption; focusable, Enter or double-click opens it, its menu reveals it. */
    private VBox tile(LibraryResult result) {
        ImageView thumbnail = new ImageView();
        thumbnail.imageProperty().bind(result.thumbnailProperty());
        thumbnail.setFitWidth(LibraryViewModel.THUMBNAIL_EDGE);
        thumbnail.setFitHeight(LibraryViewModel.THUMBNAIL_EDGE);
        thumbnail.setPreserveRatio(true);
        Label caption = new Label(result.caption());
        caption.setWrapText(true);
        caption.setMaxWidth(LibraryViewModel.THUMBNAIL_EDGE);
        Label path = new Label(result.path());
        path.getStyleClass().add("text-muted");
        path.setMaxWidth(LibraryViewModel.THUMBNAIL_EDGE);
        Label why = new Label(result.why());
        why.getStyleClass().addAll("text-muted", "library-why");
        why.setWrapText(true);
        why.setMaxWidth(LibraryViewModel.THUMBNAIL_EDGE);
        Button similar = new Button("More like this");
        similar.getStyleClass().add("library-similar");
        similar.setAccessibleText("Find pictures that look like " + result.path());
        similar.setOnAction(e -> library.moreLikeThis(result));
        VBox tile = new VBox(4, thumbnail, caption, path, why, similar);
        tile.getStyleClass().add("library-result");
        tile.setPadding(new Insets(6));
        tile.setFocusTraversable(true);
        tile.setAccessibleRole(AccessibleRole.BUTTON);
        tile.setAccessibleText(result.path() + ": " + result.caption());
        MenuItem open = new MenuItem("_Open");
        open.setOnAction(e -> library.open(result));
        MenuItem reveal = new MenuItem("_Reveal in folder");
        reveal.setOnAction(e -> library.reveal(result));
        MenuItem alike = new MenuItem("_More like this");
        alike.setOnAction(e -> library.moreLikeThis(result));
        ContextMenu menu = new ContextMenu(open, reveal, alike);
        tile.setOnContextMenuRequested(e -> menu.show(tile, e.getScreenX(), e.getScreenY()));
        tile.setOnMouseClicked(e -> {
            tile.requestFocus();
            if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2) {
                library.open(result);
            }
        });
        tile.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                library.open(result);
                e.consume();
            }
        });
        tile.focusedProperty().addListener((obs, old, focused) -> tile.setStyle(focused
                ? "-fx-border-color: -color-accent-emphasis; -fx-border-width: 2;" : ""));
        return tile;
    }

    private void chooseFolder() {
        Path chosen = dialogs.chooseFolder(getScene().getWindow(), "Choose the image folder");
        if (chosen != null) {
            library.chooseFolder(chosen);
        }
    }

    private void chooseExport(String format, String pattern, String name, Consumer<Path> export) {
        Path chosen = dialogs.chooseFileToSave(getScene().getWindow(), "Export the captions as " + format, format,
                pattern, name);
        if (chosen != null) {
            export.accept(chosen);
        }
    }
}
