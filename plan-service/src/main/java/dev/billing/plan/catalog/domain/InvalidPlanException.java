package dev.billing.plan.catalog.domain;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The submitted plan has invalid fields: field name to what is wrong with it. */
public class InvalidPlanException extends RuntimeException {

    private final Map<String, String> errors;

    public InvalidPlanException(Map<String, String> errors) {
        super("invalid plan: " + errors);
        this.errors = Collections.unmodifiableMap(new LinkedHashMap<>(errors));
    }

    public Map<String, String> errors() {
        return errors;
    }
}
