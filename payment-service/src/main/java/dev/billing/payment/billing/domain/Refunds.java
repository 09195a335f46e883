package dev.billing.payment.billing.domain;

/** Refund limits: never more than what is left of a payment after earlier refunds. */
public final class Refunds {

    private Refunds() {}

    /** Thrown when a refund would exceed the remaining refundable amount (409 at the edge). */
    public static final class TooLarge extends RuntimeException {
        public TooLarge(long requested, long remaining) {
            super("Refund of " + requested + " exceeds the refundable remainder of " + remaining + ".");
        }
    }

    public static long remaining(long paid, long refunded) {
        return paid - refunded;
    }

    /**
     * The amount to refund: {@code requested}, or everything that remains when null. Rejects a zero
     * or negative amount and anything over the remainder (including a payment already fully refunded).
     */
    public static long decide(long paid, long refunded, Long requested) {
        long remaining = remaining(paid, refunded);
        long amount = requested == null ? remaining : requested;
        if (requested != null && requested <= 0) {
            throw new IllegalArgumentException("amount must be positive");
        }
        if (amount <= 0 || amount > remaining) {
            throw new TooLarge(amount, remaining);
        }
        return amount;
    }
}
