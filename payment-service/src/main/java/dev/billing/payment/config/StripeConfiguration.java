package dev.billing.payment.config;

import com.stripe.StripeClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one Stripe API client of the service (stripe-java's instance client, no global state). It
 * exists in both provider modes: the webhook handlers fetch objects with it whenever a key is set;
 * without a key every call is refused by Stripe (401), which is the truth.
 */
@Configuration(proxyBeanMethods = false)
class StripeConfiguration {

    /** Placeholder so the client can be built without a key; Stripe answers 401 to it. */
    private static final String NO_KEY = "sk_unset";

    @Bean
    StripeClient stripeClient(PaymentProperties props) {
        var stripe = props.stripe();
        return StripeClient.builder()
                .setApiKey(stripe.enabled() ? stripe.apiKey() : NO_KEY)
                .setApiBase(stripe.apiBase())
                .setConnectTimeout((int) stripe.connectTimeout().toMillis())
                .setReadTimeout((int) stripe.readTimeout().toMillis())
                .setMaxNetworkRetries(stripe.maxNetworkRetries())
                .build();
    }
}
