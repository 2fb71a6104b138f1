package io.glance.ui.viewer;

import javafx.application.ConditionalFeature;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.beans.property.BooleanProperty;
import javafx.geometry.Bounds;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.image.ImageView;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Rectangle;
import javafx.stage.Window;

/**
 * The picture area: the camera (or the still shown) scaled to fit, a rectangle the person drags to ask
 * about a region, the camera's message with Retry, and a toolbar with the camera picker, resolution,
 * mirror, freeze, back-to-live and continuous mode. Talks only to {@link ViewerViewModel} and the
 * continuous-mode property it is given. FX thread only.
 */
public final class ViewerView extends BorderPane {
    private static final double MIN_DRAG = 6;

    private final ViewerViewModel viewer;
    private final ImageView imageView = new ImageView();
    private final Rectangle regionBox = new Rectangle();
    private final Pane overlay = new Pane(regionBox);
    private double dragStartX;
    private double dragStartY;

    public ViewerView(ViewerViewModel viewer, BooleanProperty continuous) {
        this.viewer = viewer;
        getStyleClass().add("viewer");

        ComboBox<CameraChoice> cameraPicker = new ComboBox<>(viewer.cameras());
        cameraPicker.setId("cameraPicker");
        cameraPicker.valueProperty().bindBidirectional(viewer.cameraProperty());
        cameraPicker.setPromptText("No camera");
        cameraPicker.setAccessibleText("Camera");
        cameraPicker.setTooltip(new Tooltip("Camera"));
        cameraPicker.disableProperty().bind(Bindings.isEmpty(viewer.cameras()));

        ComboBox<Resolution> resolutionPicker = new ComboBox<>();
        resolutionPicker.getItems().setAll(Resolution.CHOICES);
        resolutionPicker.valueProperty().bindBidirectional(viewer.resolutionProperty());
        resolutionPicker.setAccessibleText("Camera resolution");
        resolutionPicker.setTooltip(new Tooltip("Camera resolution"));

        ToggleButton mirror = new ToggleButton("Mirror");
        mirror.setId("mirrorToggle");
        mirror.selectedProperty().bindBidirectional(viewer.mirrorProperty());
        mirror.setAccessibleText("Mirror the camera view");
        mirror.setTooltip(new Tooltip("Mirror the camera view (Ctrl+M)"));

        Button freeze = new Button();
        freeze.setId("freezeButton");
        freeze.textProperty().bind(Bindings.when(viewer.modeProperty().isEqualTo(ViewerViewModel.Mode.LIVE))
                .then("Freeze").otherwise("Live"));
        freeze.setAccessibleText("Freeze the camera frame, or go back to the live camera");
        freeze.setTooltip(new Tooltip("Freeze the frame / back to live (Ctrl+F)"));
        freeze.setOnAction(e -> viewer.toggleFreeze());
        freeze.disableProperty().bind(viewer.cameraRunningProperty().not()
                .and(viewer.modeProperty().isEqualTo(ViewerViewModel.Mode.LIVE)));

        ToggleButton continuousToggle = new ToggleButton("Continuous");
        continuousToggle.setId("continuousToggle");
        continuousToggle.selectedProperty().bindBidirectional(continuous);
        continuousToggle.setAccessibleText("Describe the camera view whenever the scene changes");
        continuousToggle.setTooltip(new Tooltip("Describe the view every few seconds when it changes (Ctrl+K)"));

        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox toolbar = new HBox(8, cameraPicker, resolutionPicker, spacer, mirror, freeze, continuousToggle);
        toolbar.setAlignment(Pos.CENTER_LEFT);
        toolbar.setPadding(new Insets(8, 12, 8, 12));
        toolbar.getStyleClass().add("viewer-toolbar");
        setTop(toolbar);

        imageView.imageProperty().bind(viewer.pictureProperty());
        imageView.setPreserveRatio(true);
        // Live frames come already scaled to the picture area's pixels; what is left to scale (a still,
        // rounding) is filtered on a GPU pipeline, where it is free, and not on the software renderer (no 3D
        // support), where filtering a 1280×720 picture cost a third of the frame rate.
        imageView.setSmooth(Platform.isSupported(ConditionalFeature.SCENE3D));
        imageView.setAccessibleText("Camera view; drag a rectangle to ask about a region");
        imageView.visibleProperty().bind(viewer.pictureProperty().isNotNull()
                .and(viewer.cameraMessageProperty().isEmpty().or(viewer.modeProperty().isNotEqualTo(ViewerViewModel.Mode.LIVE))));

        regionBox.getStyleClass().add("region-box");
        regionBox.setManaged(false);
        regionBox.setVisible(false);
        overlay.setPickOnBounds(false);
        overlay.setMouseTransparent(true);
        viewer.regionProperty().addListener((obs, old, region) -> placeRegionBox());

        Label message = new Label();
        message.setId("cameraMessage");
        message.textProperty().bind(viewer.cameraMessageProperty());
        message.setWrapText(true);
        message.getStyleClass().add("viewer-message");
        Button retry = new Button("Retry");
        retry.setId("retryButton");
        retry.setAccessibleText("Open the camera again");
        retry.setOnAction(e -> viewer.retry());
        retry.visibleProperty().bind(viewer.retryableProperty());
        retry.managedProperty().bind(retry.visibleProperty());
        VBox messageBox = new VBox(10, message, retry);
        messageBox.setAlignment(Pos.CENTER);
        messageBox.setMaxWidth(420);
        messageBox.visibleProperty().bind(viewer.cameraMessageProperty().isNotEmpty()
                .and(viewer.modeProperty().isEqualTo(ViewerViewModel.Mode.LIVE)));

        Label stillLabel = new Label();
        stillLabel.textProperty().bind(viewer.stillLabelProperty());
        stillLabel.getStyleClass().add("viewer-badge");
        stillLabel.visibleProperty().bind(viewer.stillLabelProperty().isNotEmpty());
        StackPane.setAlignment(stillLabel, Pos.TOP_LEFT);
        StackPane.setMargin(stillLabel, new Insets(10));

        StackPane stage = new StackPane(imageView, overlay, messageBox, stillLabel);
        stage.getStyleClass().add("viewer-stage");
        stage.setMinSize(200, 150);
        imageView.fitWidthProperty().bind(stage.widthProperty());
        imageView.fitHeightProperty().bind(stage.heightProperty());
        stage.setOnMousePressed(this::startDrag);
        stage.setOnMouseDragged(this::drag);
        stage.setOnMouseReleased(this::endDrag);
        stage.widthProperty().addListener((obs, old, w) -> pictureAreaResized(stage));
        stage.heightProperty().addListener((obs, old, h) -> pictureAreaResized(stage));
        followOutputScale(stage);
        setCenter(stage);

        Label hint = new Label("Drag on the picture to ask about a region · Esc stops an answer");
        hint.getStyleClass().add("viewer-hint");
        Button clearRegion = new Button("Whole picture");
        clearRegion.setAccessibleText("Ask about the whole picture again");
        clearRegion.setOnAction(e -> viewer.regionProperty().set(null));
        clearRegion.visibleProperty().bind(viewer.regionProperty().isNotNull());
        HBox footer = new HBox(8, hint, clearRegion);
        footer.setAlignment(Pos.CENTER_LEFT);
        footer.setPadding(new Insets(6, 12, 6, 12));
        setBottom(footer);
    }

    private void startDrag(MouseEvent event) {
        dragStartX = event.getX();
        dragStartY = event.getY();
    }

    private void drag(MouseEvent event) {
        Bounds image = imageView.getBoundsInParent();
        double x = Math.max(image.getMinX(), Math.min(dragStartX, event.getX()));
        double y = Math.max(image.getMinY(), Math.min(dragStartY, event.getY()));
        double right = Math.min(image.getMaxX(), Math.max(dragStartX, event.getX()));
        double bottom = Math.min(image.getMaxY(), Math.max(dragStartY, event.getY()));
        regionBox.setX(x);
        regionBox.setY(y);
        regionBox.setWidth(Math.max(0, right - x));
        regionBox.setHeight(Math.max(0, bottom - y));
        regionBox.setVisible(true);
    }

    private void endDrag(MouseEvent event) {
        Bounds image = imageView.getBoundsInParent();
        if (regionBox.getWidth() < MIN_DRAG || regionBox.getHeight() < MIN_DRAG || image.getWidth() <= 0) {
            regionBox.setVisible(viewer.regionProperty().get() != null);
            placeRegionBox();
            return;
        }
        viewer.regionProperty().set(new RegionSelection(
                (regionBox.getX() - image.getMinX()) / image.getWidth(),
                (regionBox.getY() - image.getMinY()) / image.getHeight(),
                regionBox.getWidth() / image.getWidth(),
                regionBox.getHeight() / image.getHeight()).clamped());
    }

    /** Resizes the live frames when the window moves to a screen of another scale (HiDPI). */
    private void followOutputScale(Region area) {
        sceneProperty().addListener((obs, old, scene) -> {
            if (scene != null) {
                scene.windowProperty().addListener((o, oldWindow, window) -> {
                    if (window != null) {
                        window.outputScaleXProperty().addListener((x, before, now) -> pictureAreaResized(area));
                        window.outputScaleYProperty().addListener((y, before, now) -> pictureAreaResized(area));
                    }
                });
            }
        });
    }

    /** Asks for live frames the size of the picture area in screen pixels and redraws the region box. */
    private void pictureAreaResized(Region area) {
        Window window = getScene() == null ? null : getScene().getWindow();
        double scaleX = window == null ? 1 : window.getOutputScaleX();
        double scaleY = window == null ? 1 : window.getOutputScaleY();
        viewer.fitPreviewTo(area.getWidth() * scaleX, area.getHeight() * scaleY);
        placeRegionBox();
    }

    /** Draws the selected region over the picture as it is now laid out. */
    private void placeRegionBox() {
        RegionSelection region = viewer.regionProperty().get();
        if (region == null) {
            regionBox.setVisible(false);
            return;
        }
        Bounds image = imageView.getBoundsInParent();
        regionBox.setX(image.getMinX() + region.x() * image.getWidth());
        regionBox.setY(image.getMinY() + region.y() * image.getHeight());
        regionBox.setWidth(region.width() * image.getWidth());
        regionBox.setHeight(region.height() * image.getHeight());
        regionBox.setVisible(true);
    }
}
