package io.glance.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The architecture rules are real guards: on a fixture that breaks each of them on purpose (a window importing a
 * command-line class, a package cycle through a sub-package, a view model that knows a view, a view reading the
 * settings), each rule fails and names the offending class.
 */
class ArchitectureRulesCatchViolationsTest {
    private static final String FIXTURE = "io.glance.architecture.fixture";
    private static JavaClasses fixture;

    @BeforeAll
    static void importFixture() {
        fixture = new ClassFileImporter().importPackages(FIXTURE);
    }

    private static void assertViolated(ArchRule rule, String offender) {
        AssertionError failure = assertThrows(AssertionError.class, () -> rule.check(fixture));
        assertTrue(failure.getMessage().contains(offender), failure.getMessage());
    }

    @Test
    void aWindowThatImportsTheCommandLineBreaksTheLayers() {
        assertViolated(GlanceRules.layers(FIXTURE), "fixture.ui.WindowModel");
    }

    @Test
    void aCycleBetweenAPackageAndItsSubPackageIsFound() {
        assertViolated(GlanceRules.noPackageCycles(FIXTURE), "fixture.library.index.Card");
        assertDoesNotThrow(() -> slices().matching(FIXTURE + ".(*)..").should().beFreeOfCycles().check(fixture),
                "the slices the rule used before lumped a package with its sub-packages and saw no cycle");
    }

    @Test
    void aViewModelThatKnowsAViewIsFoundWhateverItsName() {
        assertViolated(GlanceRules.viewModelsNeverKnowViews(FIXTURE), "fixture.ui.WindowModel");
    }

    @Test
    void aViewThatReadsTheSettingsIsFound() {
        assertViolated(GlanceRules.viewsTalkOnlyToViewModels(FIXTURE), "fixture.ui.Panel");
    }

    @Test
    void aFamilyThatBorrowsFromAnotherAndALoopThatNamesAFamilyAreFound() {
        assertViolated(GlanceRules.familiesStayInTheirFolders(FIXTURE), "fixture.family.second.SecondFormat");
        assertViolated(GlanceRules.theLoopNamesNoFamily(FIXTURE), "fixture.generation.Loop");
    }
}
