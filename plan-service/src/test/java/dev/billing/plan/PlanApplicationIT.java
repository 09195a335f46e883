package dev.billing.plan;

import dev.billing.platform.test.IntegrationTest;
import dev.billing.platform.test.ServiceSmokeChecks;

@IntegrationTest
class PlanApplicationIT extends ServiceSmokeChecks {

    @Override
    protected String schema() {
        return "plan";
    }

    @Override
    protected String protectedPath() {
        return "/api/v1/plans";
    }
}
