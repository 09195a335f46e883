package dev.billing.gateway.web;

import io.micrometer.context.ContextRegistry;
import org.slf4j.MDC;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * Makes the request id in the Reactor context visible in the MDC wherever Reactor restores thread
 * locals ({@code handle}/{@code tap} operators under {@code spring.reactor.context-propagation=limited});
 * the gateway's own log lines use {@link ExchangeLogContext} instead.
 */
@Component
class RequestIdLogging implements InitializingBean {

    @Override
    public void afterPropertiesSet() {
        ContextRegistry.getInstance()
                .registerThreadLocalAccessor(
                        RequestIdFilter.KEY,
                        () -> MDC.get(RequestIdFilter.KEY),
                        value -> MDC.put(RequestIdFilter.KEY, value),
                        () -> MDC.remove(RequestIdFilter.KEY));
    }
}
