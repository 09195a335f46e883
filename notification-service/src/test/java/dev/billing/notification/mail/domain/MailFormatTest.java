package dev.billing.notification.mail.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class MailFormatTest {

    @Test
    void amountsUseTheCurrencysMinorUnits() {
        assertThat(MailFormat.money(1499, "USD")).isEqualTo("14.99 USD");
        assertThat(MailFormat.money(5, "EUR")).isEqualTo("0.05 EUR");
        assertThat(MailFormat.money(1500, "JPY")).isEqualTo("1500 JPY");
        assertThat(MailFormat.money(1234, "BHD")).isEqualTo("1.234 BHD");
        assertThat(MailFormat.money(0, "USD")).isEqualTo("0.00 USD");
    }

    @Test
    void datesReadInEnglishInUtc() {
        Instant t = Instant.parse("2026-12-22T23:30:00Z");
        assertThat(MailFormat.date(t)).isEqualTo("22 December 2026");
        assertThat(MailFormat.dateTime(t)).isEqualTo("22 December 2026, 23:30");
        assertThat(MailFormat.date(null)).isEmpty();
    }
}
