package io.glance.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The package rules of docs/architecture.md on the app's classes: layers, cycles, and who may use what. */
class ArchitectureTest {
    static final String ROOT = "io.glance";
    private static final String[] ENGINE = {"io.glance.model..", "io.glance.vision..", "io.glance.prompt..",
            "io.glance.generation..", "io.glance.family..", "io.glance.onnx..", "io.glance.library..", "io.glance.settings..",
            "io.glance.session.."};
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = appClasses();
    }

    static JavaClasses appClasses() {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);
    }

    @Test
    void layersAreUsedOnlyFromAbove() {
        GlanceRules.layers(ROOT).check(classes);
    }

    @Test
    void modelFamiliesStayInTheirFolders() {
        GlanceRules.familiesStayInTheirFolders(ROOT).check(classes);
        GlanceRules.theLoopNamesNoFamily(ROOT).check(classes);
    }

    @Test
    void noTwoPackagesDependOnEachOther() {
        GlanceRules.noPackageCycles(ROOT).check(classes);
    }

    @Test
    void onlyTheOnnxPackageUsesOnnxRuntime() {
        noClasses().that().resideOutsideOfPackage("io.glance.onnx..")
                .should().dependOnClassesThat().resideInAPackage("ai.onnxruntime..")
                .check(classes);
    }

    @Test
    void theEngineAndTheCommandLineAreFreeOfJavaFx() {
        noClasses().that().resideInAnyPackage(ENGINE).or().resideInAnyPackage("io.glance.cli..", "io.glance.camera..")
                .should().dependOnClassesThat().resideInAPackage("javafx..")
                .check(classes);
    }

    @Test
    void engineCodeNeverPrints() {
        noClasses().that().resideInAnyPackage(ENGINE)
                .should().accessField(System.class, "out")
                .orShould().accessField(System.class, "err")
                .check(classes);
    }

    @Test
    void theGenerationLoopKnowsNoBackend() {
        noClasses().that().resideInAPackage("io.glance.generation..")
                .should().dependOnClassesThat().resideInAnyPackage("io.glance.onnx..", "io.glance.cli..",
                        "io.glance.ui..", "io.glance.session..")
                .check(classes);
    }
}
