package dev.billing.notification;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.billing.platform.test.ArchitectureRules;

/** The domain stays plain Java. */
@AnalyzeClasses(packages = "dev.billing.notification", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule domainIsFreeOfFrameworks = ArchitectureRules.domainIsFreeOfFrameworks();
}
