package dev.billing.platform.config;

import dev.billing.platform.event.EventCodec;
import dev.billing.platform.time.AdjustableClock;
import dev.billing.platform.time.ClockController;
import dev.billing.platform.web.ProblemDetailsExceptionHandler;
import dev.billing.platform.web.ProblemWriter;
import dev.billing.platform.web.RequestSizeLimitFilter;
import java.time.Clock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;

/** What every service gets: a clock, the event codec and problem details for every error. */
@AutoConfiguration
public class PlatformCoreAutoConfiguration {

    /** The one source of time; tests replace it with a clock they move. */
    @Bean
    @ConditionalOnMissingBean
    Clock clock(@Value("${platform.clock.adjustable:false}") boolean adjustable) {
        return adjustable ? new AdjustableClock(Clock.systemUTC()) : Clock.systemUTC();
    }

    /** Moving the clock of a running service (end-to-end tests, demos); admins only. */
    @Bean
    @ConditionalOnProperty(name = "platform.clock.adjustable", havingValue = "true")
    ClockController clockController(Clock clock) {
        return new ClockController((AdjustableClock) clock);
    }

    @Bean
    @ConditionalOnMissingBean
    EventCodec eventCodec(JsonMapper json, Clock clock, @Value("${spring.application.name}") String source) {
        return new EventCodec(json, clock, source);
    }

    @Bean
    ProblemWriter problemWriter(JsonMapper json) {
        return new ProblemWriter(json);
    }

    @Bean
    ProblemDetailsExceptionHandler problemDetailsExceptionHandler(ProblemWriter writer) {
        return new ProblemDetailsExceptionHandler(writer);
    }

    @Bean
    RequestSizeLimitFilter requestSizeLimitFilter(
            @Value("${platform.web.max-request-size:256KB}") DataSize max, ProblemWriter writer) {
        return new RequestSizeLimitFilter(max, writer);
    }
}
