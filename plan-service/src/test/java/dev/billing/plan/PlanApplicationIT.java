package dev.billing.plan;

import dev.billing.platform.test.IntegrationTest;
import dev.billing.platform.test.ServiceSmokeChecks;
import java.util.UUID;

@IntegrationTest
class PlanApplicationIT extends ServiceSmokeChecks {

    @Override
    protected String schema() {
        return "plan";
    }

    /** The catalog reads are public; a plan's price history needs a token. */
    @Override
    protected String protectedPath() {
        return "/api/v1/plans/" + UUID.randomUUID() + "/prices";
    }
}
