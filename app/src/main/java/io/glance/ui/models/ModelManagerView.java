package io.glance.ui.models;

import io.glance.ui.controls.AccessibleButton;
import io.glance.ui.desktop.FileDialogs;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import java.nio.file.Path;

/**
 * The model manager window's content: one row per model with its precisions and sizes, what is installed,
 * Download (with per-file and total progress, speed and time left; Pause/Resume and Cancel), Use and Remove;
 * Import folder below. Talks only to {@link ModelManagerViewModel} and its {@link ModelEntry}s; chooses the folder
 * through {@link FileDialogs}. FX thread only.
 */
public final class ModelManagerView extends BorderPane {
    private final ModelManagerViewModel manager;
    private final FileDialogs dialogs;
    private final VBox rows = new VBox(12);

    public ModelManagerView(ModelManagerViewModel manager, FileDialogs dialogs) {
        this.manager = manager;
        this.dialogs = dialogs;
        getStyleClass().add("model-manager");
        setPrefSize(820, 560);

        Label intro = new Label("Models are downloaded only when you click Download, and each file is checked "
                + "(sha256 or size) before it is used.");
        intro.setWrapText(true);
        intro.getStyleClass().add("text-muted");
        intro.setPadding(new Insets(12, 16, 4, 16));
        setTop(intro);

        rows.setPadding(new Insets(8, 16, 8, 16));
        ScrollPane scroll = new ScrollPane(rows);
        scroll.setFitToWidth(true);
        scroll.setAccessibleText("Models");
        setCenter(scroll);
        manager.entries().addListener((ListChangeListener<ModelEntry>) change -> showRows());
        showRows();

        Label message = new Label();
        message.setId("modelManagerMessage");
        message.textProperty().bind(manager.messageProperty());
        message.setWrapText(true);
        message.setAccessibleText("Model manager message");
        HBox.setHgrow(message, Priority.ALWAYS);
        message.setMaxWidth(Double.MAX_VALUE);
        Button importFolder = new Button("_Import folder…");
        importFolder.setId("importModelFolder");
        importFolder.setTooltip(new Tooltip("Add a model folder in the published ONNX layout (SmolVLM or Qwen-VL)"));
        importFolder.setAccessibleText("Import a model folder");
        importFolder.setOnAction(e -> chooseFolder());
        HBox bottom = new HBox(10, message, importFolder);
        bottom.setAlignment(Pos.CENTER_LEFT);
        bottom.setPadding(new Insets(8, 16, 12, 16));
        setBottom(bottom);
    }

    private void showRows() {
        rows.getChildren().setAll(manager.entries().stream().map(this::row).toList());
    }

    private VBox row(ModelEntry entry) {
        Label name = new Label();
        name.textProperty().bind(entry.nameProperty());
        name.getStyleClass().add("title-4");
        Label status = new Label();
        status.setId("status-" + entry.id());
        status.textProperty().bind(entry.statusProperty());
        status.getStyleClass().add("model-status");
        Label active = new Label("In use");
        active.getStyleClass().add("model-in-use");
        active.visibleProperty().bind(manager.activeModelProperty().isEqualTo(entry.id())
                .or(manager.activeImageTextModelProperty().isEqualTo(entry.id())));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox title = new HBox(10, name, active, spacer, status);
        title.setAlignment(Pos.CENTER_LEFT);

        Label description = new Label();
        description.textProperty().bind(entry.descriptionProperty());
        description.setWrapText(true);
        description.getStyleClass().add("text-muted");

        ComboBox<PrecisionOption> precision = new ComboBox<>(entry.options());
        precision.setId("precision-" + entry.id());
        precision.valueProperty().bindBidirectional(entry.precisionProperty());
        precision.setAccessibleText("Precision of " + entry.id());
        precision.setTooltip(new Tooltip("Precision and download size"));

        BooleanBinding downloading = entry.downloadingProperty();
        Button download = AccessibleButton.of("Download", "download-" + entry.id(), "Download " + entry.id(), entry::download);
        download.disableProperty().bind(entry.downloadableProperty().not());
        download.getStyleClass().add("accent");
        Button pause = new Button();
        pause.setId("pause-" + entry.id());
        pause.textProperty().bind(Bindings.when(entry.pausedProperty()).then("Resume").otherwise("Pause"));
        pause.setAccessibleText("Pause or resume the download");
        pause.setOnAction(e -> {
            if (entry.pausedProperty().get()) {
                entry.resume();
            } else {
                entry.pause();
            }
        });
        pause.disableProperty().bind(downloading.not());
        Button cancel = AccessibleButton.of("Cancel", "cancel-" + entry.id(), "Cancel the download", entry::cancelDownload);
        cancel.disableProperty().bind(downloading.not());
        Button use = AccessibleButton.of("Use this model", "use-" + entry.id(), "Use " + entry.id(), entry::use);
        use.disableProperty().bind(entry.selectedInstalledProperty().not().or(downloading));
        Button remove = AccessibleButton.of("Remove", "remove-" + entry.id(), "Remove " + entry.id(), entry::remove);
        remove.getStyleClass().add("danger");
        remove.disableProperty().bind(entry.removableProperty().not());
        HBox actions = new HBox(8, precision, download, pause, cancel, use, remove);
        actions.setAlignment(Pos.CENTER_LEFT);

        ProgressBar total = progressBar("Total download progress");
        total.progressProperty().bind(entry.totalProgressProperty());
        Label totalText = new Label();
        totalText.setId("totalText-" + entry.id());
        totalText.textProperty().bind(entry.totalTextProperty());
        ProgressBar file = progressBar("Progress of the current file");
        file.progressProperty().bind(entry.fileProgressProperty());
        Label fileText = new Label();
        fileText.textProperty().bind(entry.fileTextProperty());
        fileText.getStyleClass().add("text-small");
        VBox progress = new VBox(4, new HBox(8, total, totalText), new HBox(8, file, fileText));
        progress.visibleProperty().bind(entry.downloadStartedProperty());
        progress.managedProperty().bind(progress.visibleProperty());

        VBox row = new VBox(6, title, description, actions, progress);
        row.getStyleClass().add("model-row");
        row.setPadding(new Insets(10));
        return row;
    }

    private static ProgressBar progressBar(String accessibleText) {
        ProgressBar bar = new ProgressBar(0);
        bar.setPrefWidth(260);
        bar.setAccessibleText(accessibleText);
        return bar;
    }

    private void chooseFolder() {
        Path folder = dialogs.chooseFolder(getScene().getWindow(), "Import a model folder (published ONNX layout: SmolVLM or Qwen-VL)");
        if (folder != null) {
            manager.importFolder(folder);
        }
    }
}
