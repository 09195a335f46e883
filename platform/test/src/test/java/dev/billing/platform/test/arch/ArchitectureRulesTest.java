package dev.billing.platform.test.arch;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.billing.platform.test.ArchitectureRules;
import org.junit.jupiter.api.Test;

class ArchitectureRulesTest {

    @Test
    void aPlainDomainPasses() {
        var classes = new ClassFileImporter().importPackages("dev.billing.platform.test.arch.fixture.good");
        assertThatCode(() -> ArchitectureRules.domainIsFreeOfFrameworks().check(classes))
                .doesNotThrowAnyException();
    }

    @Test
    void aDomainThatUsesReactorFails() {
        var classes = new ClassFileImporter().importPackages("dev.billing.platform.test.arch.fixture.bad");
        assertThatThrownBy(() -> ArchitectureRules.domainIsFreeOfFrameworks().check(classes))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("LeakyService");
    }
}
