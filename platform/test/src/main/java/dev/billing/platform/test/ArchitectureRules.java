package dev.billing.platform.test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.lang.ArchRule;

/** The layering rules STYLE.md asks of every service, as ArchUnit rules. */
public final class ArchitectureRules {

    private ArchitectureRules() {}

    /**
     * Domain code ({@code ..domain..}) is plain Java: no Spring, no persistence, no messaging, no
     * reactive types, no JSON library. It decides; the application layer loads, saves and publishes.
     */
    public static ArchRule domainIsFreeOfFrameworks() {
        return noClasses()
                .that()
                .resideInAPackage("..domain..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.springframework..",
                        "io.r2dbc..",
                        "org.apache.kafka..",
                        "reactor..",
                        "tools.jackson..",
                        "com.fasterxml.jackson.databind..",
                        "jakarta.persistence..")
                .as("domain packages are free of Spring, persistence, messaging and reactive types");
    }
}
