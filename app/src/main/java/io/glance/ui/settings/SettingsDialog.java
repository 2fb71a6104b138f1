package io.glance.ui.settings;

import io.glance.ui.models.ModelChoice;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Control;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.stage.Window;

/**
 * The settings dialog: model and precision, device preference (with the device in use and why it fell back),
 * camera, image splitting and longest edge, answer length, system and caption prompts, continuous interval,
 * theme and reading aloud. Every field has a mnemonic label and accessible text; Apply hands the form to
 * {@link SettingsViewModel#applyForm()}. Talks only to {@link SettingsViewModel} and the device texts it is
 * given. FX thread only.
 */
public final class SettingsDialog extends Dialog<ButtonType> {
    private static final String AUTOMATIC_SPLITTING_HELP = "Camera frames go whole while the model runs on the CPU, "
            + "for an answer in seconds; opened pictures are split as the model says, for detail.";
    private final GridPane grid = new GridPane();
    private int row;

    /**
     * @param activeDevice  "Device: cpu (fell back: …)" of the model in use
     * @param deviceDetails the whole fallback reason, or empty
     * @param speechOffered whether this machine can read aloud
     */
    public SettingsDialog(Window owner, SettingsViewModel settings, ReadOnlyStringProperty activeDevice,
                          ReadOnlyStringProperty deviceDetails, boolean speechOffered) {
        initOwner(owner);
        setTitle("Settings");
        setHeaderText("Glance settings");
        setResizable(true);
        grid.setHgap(12);
        grid.setVgap(8);
        grid.setPadding(new Insets(8, 4, 4, 4));
        ColumnConstraints labels = new ColumnConstraints();
        labels.setMinWidth(Region.USE_PREF_SIZE);
        ColumnConstraints fields = new ColumnConstraints();
        fields.setHgrow(Priority.ALWAYS);
        fields.setMinWidth(360);
        fields.setPrefWidth(420); // long help and fallback texts wrap instead of widening the dialog
        grid.getColumnConstraints().setAll(labels, fields);

        ComboBox<ModelChoice> model = new ComboBox<>(settings.modelChoices());
        model.setId("settingsModel");
        model.valueProperty().bindBidirectional(settings.modelProperty());
        add("_Model", "Model", model);

        ComboBox<String> precision = new ComboBox<>(settings.precisionChoices());
        precision.setId("settingsPrecision");
        precision.valueProperty().bindBidirectional(settings.precisionProperty());
        add("_Precision", "Precision", precision);

        ComboBox<String> device = new ComboBox<>();
        device.setId("settingsDevice");
        device.getItems().setAll(SettingsViewModel.DEVICES);
        device.valueProperty().bindBidirectional(settings.deviceProperty());
        add("_Device", "Device preference", device);
        Label active = new Label();
        active.setId("settingsActiveDevice");
        active.textProperty().bind(activeDevice.map(text -> text.isEmpty() ? "No model loaded" : "In use: " + text));
        active.setWrapText(true);
        active.setAccessibleText("Device in use");
        Label details = new Label();
        details.textProperty().bind(deviceDetails);
        details.setWrapText(true);
        details.getStyleClass().add("text-small");
        details.visibleProperty().bind(deviceDetails.isNotEmpty());
        details.managedProperty().bind(details.visibleProperty());
        grid.add(active, 1, row++);
        grid.add(details, 1, row++);

        ComboBox<String> camera = new ComboBox<>(settings.cameraChoices());
        camera.setId("settingsCamera");
        camera.valueProperty().bindBidirectional(settings.cameraProperty());
        camera.setPromptText("No camera found");
        add("_Camera", "Camera", camera);

        ComboBox<SettingsViewModel.Splitting> splitting = new ComboBox<>();
        splitting.getItems().setAll(SettingsViewModel.Splitting.values());
        splitting.valueProperty().bindBidirectional(settings.splittingProperty());
        add("_Split images into tiles", "Split images into tiles", splitting);
        Label splittingHelp = new Label(AUTOMATIC_SPLITTING_HELP);
        splittingHelp.setWrapText(true);
        splittingHelp.getStyleClass().add("text-small");
        splittingHelp.visibleProperty().bind(
                splitting.valueProperty().isEqualTo(SettingsViewModel.Splitting.AUTOMATIC));
        splittingHelp.managedProperty().bind(splittingHelp.visibleProperty());
        grid.add(splittingHelp, 1, row++);

        add("_Longest edge (0 = model's own)", "Longest edge in pixels, 0 for the model's own",
                integerSpinner(settings.longestEdgeProperty(), 0, 4096, 64));
        add("_Image tokens per picture (Qwen-VL, 0 = automatic)",
                "Most image tokens per picture for Qwen-VL models, 0 for automatic: fewer for camera frames on the "
                        + "CPU, the model's own limit for opened pictures",
                integerSpinner(settings.maxImageTokensProperty(), 0, 16384, 64));
        add("Max new _tokens", "Maximum answer length in tokens",
                integerSpinner(settings.maxNewTokensProperty(), 1, 4096, 16));

        TextArea system = new TextArea();
        system.setId("settingsSystemPrompt");
        system.setPrefRowCount(3);
        system.setWrapText(true);
        system.setPromptText("None");
        system.textProperty().bindBidirectional(settings.systemPromptProperty());
        add("S_ystem prompt", "System prompt", system);

        TextField caption = new TextField();
        caption.setId("settingsCaptionPrompt");
        caption.textProperty().bindBidirectional(settings.captionPromptProperty());
        add("Ca_ption prompt", "Question asked about opened images and in continuous mode", caption);

        Spinner<Double> interval = new Spinner<>(1.0, 600.0, settings.continuousIntervalProperty().get(), 1.0);
        interval.setEditable(true);
        interval.valueProperty().addListener((obs, old, value) -> settings.continuousIntervalProperty().set(value));
        add("Continuous _interval (s)", "Seconds between continuous descriptions", interval);
        add("_Download stall timeout (s)", "Seconds a model download waits for the next bytes before it tries again; "
                + "after four stalls it gives up", integerSpinner(settings.downloadReadTimeoutProperty(), 1, 600, 5));

        ComboBox<String> theme = new ComboBox<>();
        theme.setId("settingsTheme");
        theme.getItems().setAll(SettingsViewModel.THEMES);
        theme.valueProperty().bindBidirectional(settings.themeProperty());
        add("T_heme", "Theme", theme);

        CheckBox speech = new CheckBox(speechOffered ? "Read answers aloud" : "Read answers aloud (no speech on this machine)");
        speech.selectedProperty().bindBidirectional(settings.formSpeechProperty());
        speech.setDisable(!speechOffered);
        add("_Speech", "Read answers aloud", speech);

        getDialogPane().setContent(grid);
        getDialogPane().getButtonTypes().setAll(ButtonType.APPLY, ButtonType.CANCEL);
        getDialogPane().setAccessibleText("Settings");
        setOnShown(e -> model.requestFocus());
        setResultConverter(button -> {
            if (button == ButtonType.APPLY) {
                settings.applyForm();
            }
            return button;
        });
    }

    private void add(String label, String accessibleText, Node field) {
        Label name = new Label(label);
        name.setMnemonicParsing(true);
        name.setLabelFor(field);
        field.setAccessibleText(accessibleText);
        if (field instanceof Control control) {
            control.setMaxWidth(Double.MAX_VALUE);
        }
        grid.add(name, 0, row);
        grid.add(field, 1, row++);
    }

    private static Spinner<Integer> integerSpinner(IntegerProperty value, int min, int max, int step) {
        Spinner<Integer> spinner = new Spinner<>(min, max, Math.max(min, Math.min(max, value.get())), step);
        spinner.setEditable(true);
        spinner.valueProperty().addListener((obs, old, now) -> value.set(now));
        return spinner;
    }
}
