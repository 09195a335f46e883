package dev.billing.subscription.domain;

import java.time.Instant;

/** Where the user pays the first invoice (payment-service's checkout session). */
public record Checkout(String url, Instant expiresAt) {}
