package io.glance;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The package rules of docs/architecture: who may use ONNX Runtime, JavaFX and the console. */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.glance");
    }

    @Test
    void onlyTheOnnxPackageUsesOnnxRuntime() {
        noClasses().that().resideOutsideOfPackage("io.glance.onnx..")
                .should().dependOnClassesThat().resideInAPackage("ai.onnxruntime..")
                .check(classes);
    }

    @Test
    void theEngineIsFreeOfJavaFx() {
        noClasses().that().resideInAnyPackage("io.glance.model..", "io.glance.vision..", "io.glance.prompt..",
                        "io.glance.generation..", "io.glance.onnx..", "io.glance.cli..", "io.glance.camera..",
                        "io.glance.settings..", "io.glance.library..")
                .should().dependOnClassesThat().resideInAPackage("javafx..")
                .check(classes);
    }

    @Test
    void engineCodeNeverPrints() {
        noClasses().that().resideInAnyPackage("io.glance.model..", "io.glance.vision..", "io.glance.prompt..",
                        "io.glance.generation..", "io.glance.onnx..", "io.glance.library..", "io.glance.settings..")
                .should().accessField(System.class, "out")
                .orShould().accessField(System.class, "err")
                .check(classes);
    }

    @Test
    void theGenerationLoopKnowsNoBackend() {
        noClasses().that().resideInAPackage("io.glance.generation..")
                .should().dependOnClassesThat().resideInAnyPackage("io.glance.onnx..", "io.glance.cli..", "io.glance.ui..")
                .check(classes);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("io.glance.(*)..").should().beFreeOfCycles().check(classes);
    }
}
