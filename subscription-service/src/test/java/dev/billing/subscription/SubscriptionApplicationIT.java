package dev.billing.subscription;

import dev.billing.platform.test.IntegrationTest;
import dev.billing.platform.test.ServiceSmokeChecks;

@IntegrationTest
class SubscriptionApplicationIT extends ServiceSmokeChecks {

    @Override
    protected String schema() {
        return "subscription";
    }

    @Override
    protected String protectedPath() {
        return "/api/v1/subscriptions/me";
    }
}
