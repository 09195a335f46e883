package dev.billing.notification;

import dev.billing.platform.test.IntegrationTest;
import dev.billing.platform.test.ServiceSmokeChecks;

@IntegrationTest
class NotificationApplicationIT extends ServiceSmokeChecks {

    @Override
    protected String schema() {
        return "notification";
    }

    @Override
    protected String protectedPath() {
        return "/api/v1/notifications/me";
    }
}
