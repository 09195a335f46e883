package dev.billing.payment.billing.domain;

import java.time.Instant;

/**
 * One line of an invoice, in minor units: {@code amount = quantity * unitAmount}; a credit line
 * (unused time of a previous plan) has a negative unit amount.
 */
public record InvoiceLine(
        String description, int quantity, long unitAmount, long amount, Instant periodStart, Instant periodEnd) {

    public InvoiceLine {
        if (quantity < 1) {
            throw new IllegalArgumentException("quantity must be >= 1");
        }
        if (amount != Math.multiplyExact(unitAmount, (long) quantity)) {
            throw new IllegalArgumentException("amount must be quantity * unitAmount");
        }
    }

    /** A credit for the unused rest of a period of a previous plan (a negative line). */
    public static InvoiceLine unusedTime(String planName, long credit, Instant from, Instant to) {
        if (credit < 0) {
            throw new IllegalArgumentException("credit must be >= 0");
        }
        return new InvoiceLine(
                "Unused time on " + planName + " (" + from + " – " + to + ")", 1, -credit, -credit, from, to);
    }

    /** The new plan's price for the rest of the current period (an upgrade's proration). */
    public static InvoiceLine remainingTime(String planName, long charge, Instant from, Instant to) {
        if (charge < 0) {
            throw new IllegalArgumentException("charge must be >= 0");
        }
        return new InvoiceLine(
                "Remaining time on " + planName + " (" + from + " – " + to + ")", 1, charge, charge, from, to);
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
