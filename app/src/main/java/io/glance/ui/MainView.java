package io.glance.ui;

import io.glance.ui.chat.ChatView;
import io.glance.ui.desktop.FileDialogs;
import io.glance.ui.history.SavedChat;
import io.glance.ui.labels.LabelsView;
import io.glance.ui.library.LibraryView;
import io.glance.ui.models.ModelManagerView;
import io.glance.ui.settings.SettingsDialog;
import io.glance.ui.status.StatusBarView;
import io.glance.ui.viewer.CameraChoice;
import io.glance.ui.viewer.ViewerView;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.image.Image;
import javafx.scene.image.PixelFormat;
import javafx.scene.input.Clipboard;
import javafx.scene.input.DragEvent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * The main window's content: menus with visible shortcuts, the picture area beside the chat, the status
 * bar, and dropping or pasting images anywhere. Talks only to {@link MainViewModel}; chooses files through
 * {@link FileDialogs}. FX thread only.
 */
public final class MainView extends BorderPane {
    private final MainViewModel model;
    private final FileDialogs dialogs;
    private final ChatView chatView;
    private Stage modelManager;
    private Stage library;

    public MainView(MainViewModel model, FileDialogs dialogs) {
        this.model = model;
        this.dialogs = dialogs;
        getStyleClass().add("main-view");
        Consumer<String> speak = model.speechAvailableProperty().get() ? model::readAloud : null;
        chatView = new ChatView(model.chat(), model.questionProperty(), model::ask, speak);
        ViewerView viewerView = new ViewerView(model.viewer(), model.continuousProperty());
        LabelsView labelsView = new LabelsView(model.labels());
        VBox.setVgrow(viewerView, Priority.ALWAYS);
        SplitPane split = new SplitPane(new VBox(viewerView, labelsView), chatView);
        split.setDividerPositions(0.58);
        setTop(new VBox(menus(), settingsNotice()));
        setCenter(split);
        setBottom(new StatusBarView(model.status(), model.viewer().previewStatus()));

        setOnDragOver(this::acceptDrag);
        setOnDragDropped(this::drop);
        addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, event -> {
            if (event.getCode() == KeyCode.ESCAPE) {
                model.chat().stop();
                event.consume();
            }
        });
    }

    /** Puts the keyboard focus in the question field. */
    public void focusQuestion() {
        chatView.focusQuestion();
    }

    private MenuBar menus() {
        MenuItem open = item("_Open images…", "Shortcut+O", this::chooseImages);
        MenuItem paste = item("_Paste image", "Shortcut+Shift+V", this::paste);
        MenuItem export = item("_Export chat to Markdown…", "Shortcut+E", this::chooseExportFolder);
        MenuItem settings = item("_Settings…", "Shortcut+Comma", this::openSettings);
        MenuItem models = item("_Models…", "Shortcut+Shift+M", this::openModelManager);
        MenuItem libraryItem = item("_Library…", "Shortcut+L", this::openLibrary);
        MenuItem quit = item("_Quit", "Shortcut+Q", () -> getScene().getWindow().hide());
        Menu file = new Menu("_File", null, open, paste, export, libraryItem, new SeparatorMenuItem(), settings, models,
                new SeparatorMenuItem(), quit);

        MenuItem newChat = item("_New chat", "Shortcut+N", model.chat()::newChat);
        MenuItem stop = item("_Stop answer", null, model.chat()::stop);
        stop.setAccelerator(new KeyCodeCombination(KeyCode.ESCAPE));
        Menu history = new Menu("_History");
        history.setId("historyMenu");
        model.chat().savedChatsProperty().addListener((obs, old, chats) -> fillHistory(history, chats));
        fillHistory(history, model.chat().savedChatsProperty().get());
        Menu chat = new Menu("_Chat", null, newChat, stop, history);

        MenuItem freeze = item("_Freeze / live", "Shortcut+F", model.viewer()::toggleFreeze);
        CheckMenuItem mirror = new CheckMenuItem("_Mirror");
        mirror.setAccelerator(KeyCombination.keyCombination("Shortcut+M"));
        mirror.selectedProperty().bindBidirectional(model.viewer().mirrorProperty());
        CheckMenuItem continuous = new CheckMenuItem("_Continuous description");
        continuous.setAccelerator(KeyCombination.keyCombination("Shortcut+K"));
        continuous.selectedProperty().bindBidirectional(model.continuousProperty());
        CheckMenuItem labels = new CheckMenuItem("_Labels");
        labels.setAccelerator(KeyCombination.keyCombination("Shortcut+B"));
        labels.selectedProperty().bindBidirectional(model.labels().activeProperty());
        MenuItem retry = item("_Retry camera", "Shortcut+R", model.viewer()::retry);
        Menu camera = new Menu("C_amera", null, freeze, mirror, continuous, labels, retry);

        CheckMenuItem dark = new CheckMenuItem("_Dark theme");
        dark.setId("darkThemeItem");
        dark.setAccelerator(KeyCombination.keyCombination("Shortcut+D"));
        dark.selectedProperty().bindBidirectional(model.darkThemeProperty());
        Menu view = new Menu("_View", null, dark);
        if (model.speechAvailableProperty().get()) {
            CheckMenuItem speak = new CheckMenuItem("_Read answers aloud");
            speak.selectedProperty().bindBidirectional(model.speakAnswersProperty());
            view.getItems().add(speak);
        }
        MenuBar bar = new MenuBar(file, chat, camera, view);
        bar.setAccessibleText("Menu bar");
        return bar;
    }

    private static MenuItem item(String text, String accelerator, Runnable action) {
        MenuItem item = new MenuItem(text);
        if (accelerator != null) {
            item.setAccelerator(KeyCombination.keyCombination(accelerator));
        }
        item.setOnAction(e -> action.run());
        return item;
    }

    private void fillHistory(Menu history, List<SavedChat> chats) {
        history.getItems().clear();
        for (int i = chats.size() - 1; i >= 0 && history.getItems().size() < 15; i--) {
            SavedChat saved = chats.get(i);
            String title = saved.title().length() > 48 ? saved.title().substring(0, 47) + "…" : saved.title();
            MenuItem item = new MenuItem(title);
            item.setMnemonicParsing(false);
            item.setOnAction(e -> model.chat().open(saved));
            history.getItems().add(item);
        }
        history.setDisable(history.getItems().isEmpty());
    }

    private void chooseImages() {
        List<Path> files = dialogs.chooseFiles(window(), "Open images to caption", "Images",
                List.of("*.png", "*.jpg", "*.jpeg", "*.bmp", "*.webp"));
        if (!files.isEmpty()) {
            model.openFiles(files);
        }
    }

    private void chooseExportFolder() {
        Path folder = dialogs.chooseFolder(window(), "Export the chat to a folder");
        if (folder != null) {
            model.exportChat(folder);
        }
    }

    /** Opens the settings dialog, filled from the settings in force. */
    public void openSettings() {
        model.settings().editForm(model.viewer().cameras().stream().map(CameraChoice::name).toList());
        SettingsDialog dialog = new SettingsDialog(window(), model.settings(), model.status().deviceProperty(),
                model.status().deviceDetailsProperty(), model.speechAvailableProperty().get());
        dialog.getDialogPane().getStylesheets().setAll(getScene().getStylesheets());
        dialog.show();
    }

    /** Closes the windows this view opened (the model manager, the library); the app calls it when it stops. */
    public void closeWindows() {
        for (Stage window : new Stage[] {modelManager, library}) {
            if (window != null) {
                window.close();
            }
        }
    }

    /** Opens the model manager window (one at a time). */
    public void openModelManager() {
        if (modelManager == null) {
            modelManager = ownedWindow("Models", new ModelManagerView(model.models(), dialogs));
            modelManager.setWidth(1000); // wide enough for a mixed precision set and every button label
        }
        model.models().refresh();
        modelManager.show();
        modelManager.toFront();
    }

    /** Opens the image library window (one at a time). */
    public void openLibrary() {
        if (library == null) {
            library = ownedWindow("Library", new LibraryView(model.library(), dialogs));
        }
        library.show();
        library.toFront();
    }

    /** A window owned by the main one, styled and iconed like it. */
    private Stage ownedWindow(String title, Parent content) {
        Stage stage = new Stage();
        stage.initOwner(window());
        stage.setTitle(title);
        Scene scene = new Scene(content);
        scene.getStylesheets().setAll(getScene().getStylesheets());
        stage.setScene(scene);
        stage.getIcons().setAll(((Stage) window()).getIcons());
        return stage;
    }

    /** The notice from loading the settings (a corrupt file set aside), with a button to dismiss it. */
    private HBox settingsNotice() {
        Label text = new Label();
        text.setId("settingsNotice");
        text.textProperty().bind(model.settings().noticeProperty());
        text.setWrapText(true);
        text.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(text, Priority.ALWAYS);
        Button dismiss = new Button("Dismiss");
        dismiss.setAccessibleText("Dismiss the settings notice");
        dismiss.setOnAction(e -> model.settings().dismissNotice());
        HBox banner = new HBox(10, text, dismiss);
        banner.getStyleClass().add("settings-notice");
        banner.setAlignment(Pos.CENTER_LEFT);
        banner.setPadding(new Insets(6, 12, 6, 12));
        banner.visibleProperty().bind(model.settings().noticeProperty().isNotEmpty());
        banner.managedProperty().bind(banner.visibleProperty());
        return banner;
    }

    private void paste() {
        Clipboard clipboard = Clipboard.getSystemClipboard();
        if (clipboard.hasFiles()) {
            model.openFiles(clipboard.getFiles().stream().map(File::toPath).toList());
        } else if (clipboard.hasImage()) {
            Image image = clipboard.getImage();
            int width = (int) image.getWidth();
            int height = (int) image.getHeight();
            byte[] bgra = new byte[width * height * 4];
            image.getPixelReader().getPixels(0, 0, width, height, PixelFormat.getByteBgraInstance(), bgra, 0, width * 4);
            model.pasteImage(bgra, width, height);
        } else {
            model.chat().showNotice("The clipboard holds no image.");
        }
    }

    private void acceptDrag(DragEvent event) {
        if (event.getDragboard().hasFiles()) {
            event.acceptTransferModes(TransferMode.COPY);
        }
        event.consume();
    }

    private void drop(DragEvent event) {
        List<Path> files = event.getDragboard().hasFiles()
                ? event.getDragboard().getFiles().stream().map(File::toPath).toList() : List.of();
        if (!files.isEmpty()) {
            model.openFiles(files);
        }
        event.setDropCompleted(!files.isEmpty());
        event.consume();
    }

    private Window window() {
        return getScene().getWindow();
    }
}
