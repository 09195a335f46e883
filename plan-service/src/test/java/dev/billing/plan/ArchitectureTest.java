package dev.billing.plan;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.billing.platform.test.ArchitectureRules;

/** The domain packages stay plain Java (no Spring, persistence, messaging, reactive types or JSON). */
@AnalyzeClasses(packages = "dev.billing.plan", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule domainIsFreeOfFrameworks = ArchitectureRules.domainIsFreeOfFrameworks();
}
