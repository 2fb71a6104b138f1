package io.glance.ui.labels;

import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import java.util.Locale;

/**
 * The labels panel under the picture: an on/off button, the labels field, the label to watch for, and a bar per
 * label with its probability for the picture shown. Talks only to {@link LabelsViewModel}. FX thread only.
 */
public final class LabelsView extends VBox {
    private final VBox rows = new VBox(3);

    public LabelsView(LabelsViewModel model) {
        super(6);
        getStyleClass().add("labels-view");
        setPadding(new Insets(6, 8, 6, 8));
        ToggleButton on = new ToggleButton("Labels");
        on.setId("labelsToggle");
        on.setAccessibleText("Label the picture with the labels typed beside");
        on.selectedProperty().bindBidirectional(model.activeProperty());
        TextField labels = new TextField();
        labels.setId("labelsField");
        labels.setPromptText("labels, separated by commas");
        labels.setAccessibleText("Labels, separated by commas");
        labels.textProperty().bindBidirectional(model.labelsProperty());
        HBox.setHgrow(labels, Priority.ALWAYS);
        TextField watch = new TextField();
        watch.setId("watchField");
        watch.setPromptText("tell me when it is…");
        watch.setAccessibleText("The label to be told about when it becomes the best one");
        watch.setPrefColumnCount(12);
        watch.textProperty().bindBidirectional(model.watchedProperty());
        Label rate = new Label();
        rate.textProperty().bind(model.perSecondProperty().asString(Locale.ROOT, "%.1f/s"));
        rate.visibleProperty().bind(model.activeProperty());
        HBox controls = new HBox(8, on, labels, watch, rate);
        controls.setAlignment(Pos.CENTER_LEFT);

        Label message = new Label();
        message.setId("labelsMessage");
        message.textProperty().bind(model.messageProperty());
        message.visibleProperty().bind(model.messageProperty().isNotEmpty());
        message.managedProperty().bind(message.visibleProperty());
        Label report = new Label();
        report.setId("watchReport");
        report.getStyleClass().add("watch-report");
        report.textProperty().bind(model.watchReportProperty());
        report.visibleProperty().bind(model.watchReportProperty().isNotEmpty());
        report.managedProperty().bind(report.visibleProperty());

        rows.setId("labelRows");
        getChildren().addAll(controls, rows, message, report);
        model.scores().addListener((ListChangeListener<LabelRow>) change -> showScores(model));
    }

    private void showScores(LabelsViewModel model) {
        rows.getChildren().clear();
        for (LabelRow score : model.scores()) {
            Label name = new Label(score.label());
            name.setMinWidth(140);
            ProgressBar bar = new ProgressBar(score.probability());
            bar.setMaxWidth(Double.MAX_VALUE);
            HBox.setHgrow(bar, Priority.ALWAYS);
            Label percent = new Label(String.format(Locale.ROOT, "%.0f %%", 100 * score.probability()));
            percent.setMinWidth(48);
            HBox row = new HBox(8, name, bar, percent);
            row.setAlignment(Pos.CENTER_LEFT);
            row.setAccessibleText(score.label() + ": " + percent.getText());
            row.getStyleClass().add("label-row");
            rows.getChildren().add(row);
        }
    }
}
