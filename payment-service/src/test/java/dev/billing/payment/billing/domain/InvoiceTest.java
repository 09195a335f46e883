package dev.billing.payment.billing.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class InvoiceTest {

    private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");
    private static final Instant END = Instant.parse("2026-12-22T10:00:00Z");

    @Test
    void totalsAddTheLinesInMinorUnits() {
        var lines = List.of(
                InvoiceLine.subscription("Premium", 1999, START, END),
                new InvoiceLine("Extra seats", 3, 250, 750, START, END));
        assertThat(InvoiceTotals.of(lines)).isEqualTo(new InvoiceTotals(2749, 2749));
    }

    @Test
    void aProrationInvoiceNetsTheUnusedTimeOfTheOldPlan() {
        var lines = List.of(
                InvoiceLine.remainingTime("Premium", 1000, START, END),
                InvoiceLine.unusedTime("Basic", 500, START, END));
        assertThat(lines.get(1).amount()).isEqualTo(-500);
        assertThat(InvoiceTotals.of(lines)).isEqualTo(new InvoiceTotals(500, 500));
        assertThatThrownBy(() -> InvoiceTotals.of(List.of(InvoiceLine.unusedTime("Basic", 500, START, END))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLineMustAddUpAndAnInvoiceHasLines() {
        assertThatThrownBy(() -> new InvoiceLine("x", 2, 100, 150, START, END))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> InvoiceTotals.of(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void numbersArePaddedAndSequential() {
        assertThat(InvoiceTotals.number(123)).isEqualTo("INV-000123");
        assertThat(InvoiceTotals.number(1234567)).isEqualTo("INV-1234567");
    }

    @Test
    void moneyIsFormattedFromMinorUnitsPerCurrency() {
        assertThat(MoneyFormat.format(1999, "USD")).isEqualTo("19.99 USD");
        assertThat(MoneyFormat.format(5, "EUR")).isEqualTo("0.05 EUR");
        assertThat(MoneyFormat.format(500, "JPY")).isEqualTo("500 JPY");
    }
}
