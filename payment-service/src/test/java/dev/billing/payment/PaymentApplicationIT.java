package dev.billing.payment;

import dev.billing.platform.test.IntegrationTest;
import dev.billing.platform.test.ServiceSmokeChecks;

@IntegrationTest
class PaymentApplicationIT extends ServiceSmokeChecks {

    @Override
    protected String schema() {
        return "payment";
    }

    @Override
    protected String protectedPath() {
        return "/api/v1/payments/me";
    }
}
