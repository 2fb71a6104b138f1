package io.glance.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MVVM in the desktop app, by what classes are rather than by their names: views (nodes, dialogs, windows) know
 * only view models; everything else in the window's packages never knows a view; OpenCV stays out of the window.
 */
class UiArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = ArchitectureTest.appClasses();
    }

    @Test
    void viewsTalkOnlyToViewModels() {
        GlanceRules.viewsTalkOnlyToViewModels(ArchitectureTest.ROOT).check(classes);
    }

    @Test
    void viewModelsNeverKnowViews() {
        GlanceRules.viewModelsNeverKnowViews(ArchitectureTest.ROOT).check(classes);
    }

    @Test
    void theWindowNeverTouchesOpenCv() {
        GlanceRules.theWindowNeverTouchesOpenCv(ArchitectureTest.ROOT).check(classes);
    }
}
