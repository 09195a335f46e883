package dev.billing.payment.billing.application;

import dev.billing.payment.billing.domain.InvoiceLine;
import java.util.List;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Invoice lines as the JSON kept in the invoice row. */
final class InvoiceLines {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private InvoiceLines() {}

    static String toJson(List<InvoiceLine> lines) {
        return JSON.writeValueAsString(lines);
    }

    static List<InvoiceLine> fromJson(String json) {
        return JSON.readValue(json, new TypeReference<List<InvoiceLine>>() {});
    }
}
