package dev.billing.subscription.domain;

import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;

/**
 * The money of an upgrade in the middle of a period, in minor units. The unused fraction of the
 * current period is counted in whole seconds: {@code unused = seconds(periodEnd - at)},
 * {@code total = seconds(periodEnd - periodStart)}.
 *
 * <ul>
 *   <li>credit = unused part of the old price, rounded <b>down</b> (floor): we never credit a
 *       fraction of a cent that was not paid;
 *   <li>charge = unused part of the new price, rounded <b>up</b> (ceil): we never give away a
 *       fraction of a cent;
 *   <li>net = charge - credit (what payment-service charges now; negative = a credit balance).
 * </ul>
 */
public record Proration(long credit, long charge) {

    public static final Proration NONE = new Proration(0, 0);

    public long net() {
        return charge - credit;
    }

    public static Proration of(long oldAmount, long newAmount, Instant periodStart, Instant periodEnd, Instant at) {
        if (oldAmount < 0 || newAmount < 0) {
            throw new IllegalArgumentException("amounts must be >= 0");
        }
        long total = Duration.between(periodStart, periodEnd).getSeconds();
        if (total <= 0) {
            throw new IllegalArgumentException("empty period");
        }
        long unused = Math.clamp(Duration.between(at, periodEnd).getSeconds(), 0, total);
        return new Proration(
                fraction(oldAmount, unused, total, RoundingMode.FLOOR),
                fraction(newAmount, unused, total, RoundingMode.CEILING));
    }

    private static long fraction(long amount, long numerator, long denominator, RoundingMode rounding) {
        return new java.math.BigDecimal(BigInteger.valueOf(amount).multiply(BigInteger.valueOf(numerator)))
                .divide(new java.math.BigDecimal(denominator), 0, rounding)
                .longValueExact();
    }
}
