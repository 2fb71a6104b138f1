package io.glance.ui.status;

import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.Separator;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.util.Duration;


/**
 * The status bar: model and precision, device (and CPU fallback reason), preview frame rate and memory.
 * Talks only to {@link StatusViewModel} and the frame-rate property it is given. FX thread only.
 */
public final class StatusBarView extends HBox {

    public StatusBarView(StatusViewModel status, ObservableValue<String> previewStatus) {
        super(10);
        getStyleClass().add("status-bar");
        setPadding(new Insets(4, 12, 4, 12));
        setAlignment(Pos.CENTER_LEFT);

        ProgressIndicator loading = new ProgressIndicator();
        loading.setId("modelLoading");
        loading.setPrefSize(14, 14);
        loading.setAccessibleText("Loading the model");
        loading.visibleProperty().bind(status.loadingProperty());
        loading.managedProperty().bind(loading.visibleProperty());
        Label model = label("statusModel", "Model");
        model.textProperty().bind(status.modelProperty());
        Label device = label("statusDevice", "Device");
        device.textProperty().bind(status.deviceProperty());
        Tooltip deviceTooltip = new Tooltip();
        deviceTooltip.textProperty().bind(status.deviceDetailsProperty());
        deviceTooltip.setWrapText(true);
        deviceTooltip.setMaxWidth(600);
        device.setTooltip(deviceTooltip);
        device.setMinWidth(0);
        Label fps = label("statusFps", "Camera preview frame rate");
        fps.textProperty().bind(previewStatus);
        Label memory = label("statusMemory", "Memory use");
        memory.textProperty().bind(status.memoryProperty());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        getChildren().addAll(loading, model, new Separator(javafx.geometry.Orientation.VERTICAL), device, spacer, fps,
                new Separator(javafx.geometry.Orientation.VERTICAL), memory);

        Timeline refresh = new Timeline(new KeyFrame(Duration.seconds(2), e -> status.refreshMemory()));
        refresh.setCycleCount(Timeline.INDEFINITE);
        refresh.play();
    }

    private static Label label(String id, String accessibleName) {
        Label label = new Label();
        label.setId(id);
        label.setAccessibleText(accessibleName);
        label.getStyleClass().add("text-small");
        label.setMinWidth(Region.USE_PREF_SIZE);
        return label;
    }
}
