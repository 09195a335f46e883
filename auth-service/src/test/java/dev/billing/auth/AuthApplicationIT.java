package dev.billing.auth;

import dev.billing.platform.test.IntegrationTest;
import dev.billing.platform.test.ServiceSmokeChecks;

@IntegrationTest
class AuthApplicationIT extends ServiceSmokeChecks {

    @Override
    protected String schema() {
        return "auth";
    }

    @Override
    protected String protectedPath() {
        return "/api/v1/auth/me";
    }
}
