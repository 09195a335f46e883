package dev.billing.payment.billing.domain;

import java.math.BigDecimal;
import java.util.Currency;

/** Minor units to a display string: 1999 USD → "19.99 USD", 500 JPY → "500 JPY". */
public final class MoneyFormat {

    private MoneyFormat() {}

    public static String format(long minorUnits, String currency) {
        int digits;
        try {
            digits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
        } catch (IllegalArgumentException e) {
            digits = 2;
        }
        return BigDecimal.valueOf(minorUnits, digits).toPlainString() + " " + currency;
    }
}
