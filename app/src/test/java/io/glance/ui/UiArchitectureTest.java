package io.glance.ui;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** MVVM in the desktop app: views know only view models; view models never know views; no backend in the UI. */
class UiArchitectureTest {
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.glance");

    @Test
    void viewsTalkOnlyToViewModels() {
        noClasses().that().resideInAPackage("io.glance.ui..").and().haveSimpleNameEndingWith("View")
                .should().dependOnClassesThat().resideInAnyPackage("io.glance.camera..", "io.glance.generation..",
                        "io.glance.onnx..", "io.glance.vision..", "io.glance.model..", "io.glance.prompt..",
                        "io.glance.settings..", "org.opencv..")
                .orShould().dependOnClassesThat().haveSimpleNameEndingWith("Store")
                .check(classes);
    }

    @Test
    void viewModelsNeverKnowViews() {
        noClasses().that().haveSimpleNameEndingWith("ViewModel")
                .should().dependOnClassesThat().haveSimpleNameEndingWith("View")
                .orShould().dependOnClassesThat().resideInAnyPackage("javafx.scene.control..", "javafx.scene.layout..")
                .check(classes);
    }

    @Test
    void theUiNeverTouchesTheOnnxBackend() {
        noClasses().that().resideInAPackage("io.glance.ui..")
                .should().dependOnClassesThat().resideInAnyPackage("io.glance.onnx..", "ai.onnxruntime..")
                .check(classes);
    }
}
