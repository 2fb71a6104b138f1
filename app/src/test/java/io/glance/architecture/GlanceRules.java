package io.glance.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The architecture rules of Glance, written for a root package so that the same rules check the app
 * ({@code io.glance}) and, in {@link ArchitectureRulesCatchViolationsTest}, small fixtures that break them on
 * purpose. Stateless.
 */
final class GlanceRules {
    private GlanceRules() {
    }

    /**
     * Who may use whom: the window ({@code ui}) and the command line ({@code cli}) are used only by the
     * composition root; the model host ({@code session}) only by them; ONNX Runtime's adapter ({@code onnx}) only by
     * the root and the command line (benchmarks); the camera only by the window and the root. Like every
     * ArchUnit rule it sees bytecode: a compile-time constant (a {@code static final String}) is copied into
     * its users and leaves no dependency behind.
     */
    static ArchRule layers(String root) {
        return Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("App").definedBy(rootPackageOnly(root))
                .layer("Ui").definedBy(root + ".ui..")
                .layer("Cli").definedBy(root + ".cli..")
                .layer("Session").definedBy(root + ".session..")
                .layer("Onnx").definedBy(root + ".onnx..")
                .layer("Camera").definedBy(root + ".camera..")
                .whereLayer("Ui").mayOnlyBeAccessedByLayers("App")
                .whereLayer("Cli").mayOnlyBeAccessedByLayers("App")
                .whereLayer("Session").mayOnlyBeAccessedByLayers("App", "Ui", "Cli")
                .whereLayer("Onnx").mayOnlyBeAccessedByLayers("App", "Cli")
                .whereLayer("Camera").mayOnlyBeAccessedByLayers("App", "Ui")
                .allowEmptyShould(true);
    }

    /**
     * Model families stay in their folders: no family package uses another, and the generation loop, prompts,
     * pictures and model folders never name a family (a new family is a new folder, not an edit of the loop).
     */
    static ArchRule familiesStayInTheirFolders(String root) {
        return slices().matching(root + ".family.(*)..").should().notDependOnEachOther().allowEmptyShould(true);
    }

    /** @see #familiesStayInTheirFolders */
    static ArchRule theLoopNamesNoFamily(String root) {
        return noClasses().that().resideInAnyPackage(root + ".generation..", root + ".prompt..", root + ".vision..",
                        root + ".model..")
                .should().dependOnClassesThat().resideInAPackage(root + ".family..")
                .allowEmptyShould(true);
    }

    /** No cycle between any two packages: every package is a slice of its own, the root package included. */
    static ArchRule noPackageCycles(String root) {
        return slices().assignedFrom(new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
                String name = javaClass.getPackageName();
                return name.equals(root) || name.startsWith(root + ".")
                        ? SliceIdentifier.of(name) : SliceIdentifier.ignore();
            }

            @Override
            public String getDescription() {
                return "every package of " + root;
            }
        }).should().beFreeOfCycles();
    }

    /**
     * MVVM: views (the window's nodes, dialogs and windows) talk only to view models, never to the engine, the
     * host, the command line or OpenCV; everything else in the window's packages (view models and what they
     * hold) never knows a view, a control or a layout.
     */
    static ArchRule viewsTalkOnlyToViewModels(String root) {
        return noClasses().that(areViews(root))
                .should().dependOnClassesThat().resideInAnyPackage(root + ".camera..", root + ".generation..",
                        root + ".onnx..", root + ".vision..", root + ".model..", root + ".prompt..",
                        root + ".settings..", root + ".session..", root + ".library..", root + ".embedding..", root + ".cli..",
                        "org.opencv..")
                .allowEmptyShould(true);
    }

    /** @see #viewsTalkOnlyToViewModels */
    static ArchRule viewModelsNeverKnowViews(String root) {
        return noClasses().that().resideInAPackage(root + ".ui..").and(DescribedPredicate.not(areViews(root)))
                .should().dependOnClassesThat(areViews(root))
                .orShould().dependOnClassesThat().resideInAnyPackage("javafx.scene.control..", "javafx.scene.layout..")
                .allowEmptyShould(true);
    }

    /** The window's view models reach pixels through the vision and camera packages, never through OpenCV. */
    static ArchRule theWindowNeverTouchesOpenCv(String root) {
        return noClasses().that().resideInAPackage(root + ".ui..")
                .should().dependOnClassesThat().resideInAPackage("org.opencv..")
                .allowEmptyShould(true);
    }

    private static DescribedPredicate<JavaClass> areViews(String root) {
        return DescribedPredicate.describe("are views (nodes, dialogs, windows and the controls package of "
                        + root + ".ui)",
                javaClass -> javaClass.getPackageName().startsWith(root + ".ui")
                        && (javaClass.getPackageName().equals(root + ".ui.controls")
                        || javaClass.isAssignableTo("javafx.scene.Node")
                        || javaClass.isAssignableTo("javafx.scene.control.Dialog")
                        || javaClass.isAssignableTo("javafx.stage.Window")));
    }

    private static DescribedPredicate<JavaClass> rootPackageOnly(String root) {
        return DescribedPredicate.describe("in " + root + " itself", javaClass -> javaClass.getPackageName().equals(root));
    }
}
