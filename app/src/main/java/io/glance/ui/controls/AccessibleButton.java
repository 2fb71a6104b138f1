package io.glance.ui.controls;

import javafx.scene.control.Button;

/**
 * The one way views make a button: its label, a node id that tests look up, the text screen readers say,
 * and its action. FX thread only.
 */
public final class AccessibleButton {
    private AccessibleButton() {
    }

    /** A button that runs {@code action} when pressed. */
    public static Button of(String text, String id, String accessibleText, Runnable action) {
        Button button = new Button(text);
        button.setId(id);
        button.setAccessibleText(accessibleText);
        button.setOnAction(e -> action.run());
        return button;
    }
}
