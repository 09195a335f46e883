package dev.billing.auth.oauth.domain;

/**
 * Who the provider says the user is.
 *
 * @param subject the provider's stable user id
 * @param email the address, as the provider has it
 * @param emailVerified whether the provider vouches for the address
 */
public record ExternalIdentity(String provider, String subject, String email, boolean emailVerified, String name) {}
