package dev.billing.payment.billing.domain;

import java.util.List;

/** Subtotal and total of an invoice in minor units (no tax or discounts yet: total = subtotal; never negative). */
public record InvoiceTotals(long subtotal, long total) {

    public static InvoiceTotals of(List<InvoiceLine> lines) {
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("an invoice has at least one line");
        }
        long subtotal = 0;
        for (InvoiceLine line : lines) {
            subtotal = Math.addExact(subtotal, line.amount());
        }
        if (subtotal < 0) {
            throw new IllegalArgumentException("credits exceed charges: a credit balance is not invoiced");
        }
        return new InvoiceTotals(subtotal, subtotal);
    }

    /** Invoice numbers are unique per service: INV-000123. */
    public static String number(long sequence) {
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be >= 1");
        }
        return "INV-%06d".formatted(sequence);
    }
}
