package io.calsync.sandbox.core;

/**
 * A person at a provider. {@code id} is the provider's user id (Google's numeric {@code sub}, Graph's GUID).
 */
public record Account(String id, Provider provider, String email, String displayName) {}
