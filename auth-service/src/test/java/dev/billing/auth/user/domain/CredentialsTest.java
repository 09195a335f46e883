package dev.billing.auth.user.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CredentialsTest {

    @Test
    void emailsAreTrimmedAndLowerCased() {
        assertThat(Credentials.normaliseEmail("  Jane.Doe@Example.COM ")).isEqualTo("jane.doe@example.com");
        assertThat(Credentials.emailProblem("jane.doe@example.com")).isEmpty();
        assertThat(Credentials.emailProblem("jane")).isPresent();
        assertThat(Credentials.emailProblem("jane@localhost")).isPresent();
        assertThat(Credentials.emailProblem("")).isPresent();
        assertThat(Credentials.emailProblem("a".repeat(250) + "@x.io")).isPresent();
    }

    @Test
    void namesAreTrimmedAndBounded() {
        assertThat(Credentials.normaliseName("  Jane  ")).isEqualTo("Jane");
        assertThat(Credentials.nameProblem("")).isPresent();
        assertThat(Credentials.nameProblem("n".repeat(100))).isEmpty();
        assertThat(Credentials.nameProblem("n".repeat(101))).isPresent();
    }

    @Test
    void passwordPolicy() {
        String email = "jane.doe@example.com";
        assertThat(Credentials.passwordProblem("correct horse battery", email)).isEmpty();
        assertThat(Credentials.passwordProblem("ten chars!", email)).isEmpty();
        assertThat(Credentials.passwordProblem("123456789", email))
                .hasValueSatisfying(m -> assertThat(m).contains("10 to 128"));
        assertThat(Credentials.passwordProblem("x".repeat(129), email)).isPresent();
        assertThat(Credentials.passwordProblem("x".repeat(128), email))
                .hasValueSatisfying(m -> assertThat(m).contains("common"));
        assertThat(Credentials.passwordProblem("Password123", email))
                .hasValueSatisfying(m -> assertThat(m).contains("common"));
        assertThat(Credentials.passwordProblem("my JANE.DOE secret", email))
                .hasValueSatisfying(m -> assertThat(m).contains("email"));
        assertThat(Credentials.passwordProblem(null, email)).isPresent();
        // a very short local part is not a meaningful rule
        assertThat(Credentials.passwordProblem("the jo of it all", "jo@example.com"))
                .isEmpty();
    }
}
