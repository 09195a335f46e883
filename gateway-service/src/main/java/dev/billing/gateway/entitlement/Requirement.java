package dev.billing.gateway.entitlement;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a guarded route asks for: an active entitlement and, optionally, a feature. Written as
 * {@code key} (the feature is present and not {@code false}/{@code 0}/empty), {@code key:value}
 * or {@code key:v1|v2} (any of the values).
 *
 * <p>A value matches a label case-insensitively (4K = 4k); a numeric value is a minimum when the
 * plan's value is a number too ({@code screens:2} is met by a plan with 4 screens); {@code true}
 * matches a flag.
 */
public record Requirement(@Nullable String feature, List<String> values) {

    /** Any active subscription. */
    public static final Requirement ANY = new Requirement(null, List.of());

    public Requirement {
        values = List.copyOf(values);
    }

    /** Parses {@code ""}, {@code "hd"}, {@code "resolution:4K"} or {@code "resolution:1080p|4K"}. */
    public static Requirement parse(@Nullable String spec) {
        if (spec == null || spec.isBlank()) {
            return ANY;
        }
        int colon = spec.indexOf(':');
        if (colon < 0) {
            return new Requirement(spec.trim(), List.of());
        }
        String key = spec.substring(0, colon).trim();
        if (key.isEmpty()) {
            throw new IllegalArgumentException("RequireEntitlement: no feature name in '" + spec + "'");
        }
        List<String> values = Arrays.stream(spec.substring(colon + 1).split("\\|"))
                .map(String::trim)
                .filter(v -> !v.isEmpty())
                .toList();
        return new Requirement(key, values);
    }

    /** Whether these features meet the requirement. */
    public boolean metBy(Map<String, Object> features) {
        if (feature == null) {
            return true;
        }
        Object held = features.get(feature);
        if (held == null) {
            return false;
        }
        if (values.isEmpty()) {
            return truthy(held);
        }
        return values.stream().anyMatch(wanted -> matches(held, wanted));
    }

    /** For the 403 problem: {@code {"feature": "resolution", "value": "4K"}} (or a list of values). */
    public Map<String, Object> describe() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("subscription", "active");
        if (feature != null) {
            map.put("feature", feature);
            map.put("value", values.isEmpty() ? true : values.size() == 1 ? values.getFirst() : values);
        }
        return map;
    }

    /** A readable phrase: "an active subscription with resolution 4K". */
    String sentence() {
        if (feature == null) {
            return "an active subscription";
        }
        if (values.isEmpty()) {
            return "an active subscription with the feature " + feature;
        }
        return "an active subscription with " + feature + " " + String.join(" or ", values);
    }

    private static boolean truthy(Object held) {
        return switch (held) {
            case Boolean b -> b;
            case Number n -> new BigDecimal(n.toString()).signum() != 0;
            case String s -> !s.isBlank() && !s.equalsIgnoreCase("false");
            default -> true;
        };
    }

    private static boolean matches(Object held, String wanted) {
        if (held instanceof Number number) {
            BigDecimal want = number(wanted);
            return want != null && new BigDecimal(number.toString()).compareTo(want) >= 0;
        }
        if (held instanceof Boolean b) {
            return b.toString().equalsIgnoreCase(wanted);
        }
        return held.toString().toLowerCase(Locale.ROOT).equals(wanted.toLowerCase(Locale.ROOT));
    }

    private static @Nullable BigDecimal number(String value) {
        try {
            return new BigDecimal(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
