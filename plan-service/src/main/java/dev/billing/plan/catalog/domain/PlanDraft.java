package dev.billing.plan.catalog.domain;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A plan as submitted, before validation: every field may be missing or wrong. {@link
 * #validate(boolean)} normalises it (trims, upper-cases currency and interval, lower-cases the
 * code) and either returns a valid code and {@link PlanDefinition} or throws an {@link
 * InvalidPlanException} naming every bad field.
 *
 * <p>Required: {@code name}, {@code amount}, {@code currency}, {@code interval} (and {@code code}
 * when creating). Defaults: {@code intervalCount} 1, {@code trialDays} 0, {@code features} empty,
 * {@code tier} 0, {@code description} null.
 */
public record PlanDraft(
        String code,
        String name,
        String description,
        Number amount,
        String currency,
        String interval,
        Number intervalCount,
        Number trialDays,
        Map<String, ?> features,
        Number tier) {

    public static final Pattern CODE = Pattern.compile("^[a-z0-9][a-z0-9_-]{0,63}$");
    public static final Pattern FEATURE_KEY = Pattern.compile("^[A-Za-z][A-Za-z0-9_.-]{0,63}$");
    public static final int MAX_NAME = 100;
    public static final int MAX_DESCRIPTION = 2000;
    /** Stripe's limit for one charge (999,999.99 in a two-decimal currency). */
    public static final long MAX_AMOUNT = 99_999_999L;
    /** Stripe's limit for a trial. */
    public static final int MAX_TRIAL_DAYS = 730;

    public static final int MAX_TIER = 1_000_000;
    public static final int MAX_FEATURES = 50;
    public static final int MAX_FEATURE_TEXT = 200;

    /** The validated result. {@code code} is null when it was not required and not given. */
    public record Valid(String code, PlanDefinition definition) {}

    public Valid validate(boolean codeRequired) {
        Map<String, String> errors = new LinkedHashMap<>();

        String validCode = null;
        if (code == null || code.isBlank()) {
            if (codeRequired) {
                errors.put("code", "is required");
            }
        } else {
            validCode = code.strip().toLowerCase(Locale.ROOT);
            if (!CODE.matcher(validCode).matches()) {
                errors.put("code", "must be 1-64 characters of a-z, 0-9, '-' and '_', starting with a letter or digit");
                validCode = null;
            }
        }

        String validName = name == null ? "" : name.strip();
        if (validName.isEmpty()) {
            errors.put("name", "is required");
        } else if (validName.length() > MAX_NAME) {
            errors.put("name", "must be at most " + MAX_NAME + " characters");
        }

        String validDescription = description == null || description.isBlank() ? null : description.strip();
        if (validDescription != null && validDescription.length() > MAX_DESCRIPTION) {
            errors.put("description", "must be at most " + MAX_DESCRIPTION + " characters");
        }

        Long validAmount = whole(amount, "amount", true, 0, MAX_AMOUNT, errors);

        String validCurrency = null;
        if (currency == null || currency.isBlank()) {
            errors.put("currency", "is required");
        } else {
            String upper = currency.strip().toUpperCase(Locale.ROOT);
            if (!upper.matches("[A-Z]{3}") || !isIsoCurrency(upper)) {
                errors.put("currency", "must be an ISO 4217 currency code, e.g. USD");
            } else {
                validCurrency = upper;
            }
        }

        BillingInterval validInterval = null;
        if (interval == null || interval.isBlank()) {
            errors.put("interval", "is required");
        } else {
            try {
                validInterval = BillingInterval.valueOf(interval.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                errors.put("interval", "must be one of DAY, WEEK, MONTH, YEAR");
            }
        }

        Long validCount = whole(
                intervalCount == null ? 1 : intervalCount,
                "intervalCount",
                true,
                1,
                validInterval == null ? 365 : validInterval.maxCount(),
                errors);

        Long validTrial = whole(trialDays == null ? 0 : trialDays, "trialDays", true, 0, MAX_TRIAL_DAYS, errors);
        Long validTier = whole(tier == null ? 0 : tier, "tier", true, 0, MAX_TIER, errors);
        Map<String, Object> validFeatures = features(errors);

        if (!errors.isEmpty()) {
            throw new InvalidPlanException(errors);
        }
        return new Valid(
                validCode,
                new PlanDefinition(
                        validName,
                        validDescription,
                        new PriceTerms(validAmount, validCurrency, validInterval, validCount.intValue()),
                        validTrial.intValue(),
                        validFeatures,
                        validTier.intValue()));
    }

    private Map<String, Object> features(Map<String, String> errors) {
        Map<String, Object> valid = new LinkedHashMap<>();
        if (features == null) {
            return valid;
        }
        if (features.size() > MAX_FEATURES) {
            errors.put("features", "at most " + MAX_FEATURES + " features");
            return valid;
        }
        for (var entry : features.entrySet()) {
            String key = entry.getKey();
            if (key == null || !FEATURE_KEY.matcher(key).matches()) {
                errors.putIfAbsent(
                        "features",
                        "feature names are 1-64 characters of letters, digits, '_', '.' and '-', starting with a"
                                + " letter");
                continue;
            }
            Object value = featureValue(entry.getValue());
            if (value == null) {
                errors.put(
                        "features." + key,
                        "must be a string (at most " + MAX_FEATURE_TEXT + " characters), a number or a boolean");
            } else {
                valid.put(key, value);
            }
        }
        return valid;
    }

    /** A feature value normalised (whole numbers as Long, others as Double), or null if not allowed. */
    static Object featureValue(Object value) {
        if (value instanceof Boolean) {
            return value;
        }
        if (value instanceof String text) {
            return text.length() <= MAX_FEATURE_TEXT ? text : null;
        }
        if (value instanceof Number number) {
            Long whole = wholeOrNull(number);
            if (whole != null) {
                return whole;
            }
            double d = number.doubleValue();
            return Double.isFinite(d) ? d : null;
        }
        return null;
    }

    private static Long whole(
            Number value, String field, boolean required, long min, long max, Map<String, String> errors) {
        if (value == null) {
            if (required) {
                errors.put(field, "is required");
            }
            return null;
        }
        Long whole = wholeOrNull(value);
        if (whole == null) {
            errors.put(field, "must be a whole number");
            return null;
        }
        if (whole < min || whole > max) {
            errors.put(field, "must be between " + min + " and " + max);
            return null;
        }
        return whole;
    }

    /** The number as a long if it is a whole number within the long range, else null. */
    static Long wholeOrNull(Number number) {
        if (number instanceof Long || number instanceof Integer || number instanceof Short || number instanceof Byte) {
            return number.longValue();
        }
        try {
            BigDecimal decimal = number instanceof BigDecimal d
                    ? d
                    : number instanceof BigInteger i ? new BigDecimal(i) : new BigDecimal(number.toString());
            return decimal.longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            return null;
        }
    }

    private static boolean isIsoCurrency(String code) {
        try {
            Currency.getInstance(code);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
