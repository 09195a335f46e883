package dev.billing.notification.mail.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Currency;
import java.util.Locale;

/** How amounts and dates read in a mail (English, UTC). */
public final class MailFormat {

    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("d MMMM yyyy, HH:mm", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private MailFormat() {}

    /** Minor units and ISO 4217 code as people read them: {@code 1499, USD} is {@code 14.99 USD}. */
    public static String money(long minorUnits, String currency) {
        int digits;
        try {
            digits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
        } catch (IllegalArgumentException e) {
            digits = 2; // an unknown code still reads sensibly
        }
        return BigDecimal.valueOf(minorUnits, digits).toPlainString() + " " + currency;
    }

    /** Date and time to the minute, for expiries: {@code 22 November 2026, 09:41}. */
    public static String dateTime(Instant instant) {
        return instant == null ? "" : DATE_TIME.format(instant);
    }

    public static String date(Instant instant) {
        return instant == null ? "" : DATE.format(instant);
    }
}
