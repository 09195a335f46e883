package dev.billing.payment.billing.domain;

import java.time.Instant;

/** One line of an invoice, in minor units: {@code amount = quantity * unitAmount}. */
public record InvoiceLine(
        String description, int quantity, long unitAmount, long amount, Instant periodStart, Instant periodEnd) {

    public InvoiceLine {
        if (quantity < 1 || unitAmount < 0) {
            throw new IllegalArgumentException("quantity must be >= 1 and unitAmount >= 0");
        }
        if (amount != Math.multiplyExact(unitAmount, (long) quantity)) {
            throw new IllegalArgumentException("amount must be quantity * unitAmount");
        }
    }

    /** One period of a subscription to a plan. */
    public static InvoiceLine subscription(String planName, long unitAmount, Instant periodStart, Instant periodEnd) {
        return new InvoiceLine(
                "1 × " + planName + " (" + periodStart + " – " + periodEnd + ")",
                1,
                unitAmount,
                unitAmount,
                periodStart,
                periodEnd);
    }
}
