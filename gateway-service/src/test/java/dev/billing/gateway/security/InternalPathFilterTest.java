package dev.billing.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InternalPathFilterTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/internal",
                "/internal/",
                "/internal/clock",
                "/INTERNAL/Clock/advance",
                "//internal/clock",
                "///internal//clock",
                "/internal;jsessionid=1/clock",
                "/%69nternal/clock",
                "/%2569nternal/clock",
                "/api/v1/plans/../../../internal/clock",
                "/api/v1/plans/..%2F..%2F..%2Finternal/clock",
                "/./internal/clock",
                "\\internal\\clock",
                "/../internal/clock",
            })
    void internalPathsInAnySpellingAreRecognised(String path) {
        assertThat(InternalPathFilter.isInternal(path)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/plans", "/internals", "/api/v1/internal/clock", "/checkout/internal", "/"})
    void otherPathsAreNot(String path) {
        assertThat(InternalPathFilter.isInternal(path)).isFalse();
    }
}
