package io.calsync.model.security;

import java.time.Instant;

/** The identity a valid main-app JWT carries: the user's email, plus the token's id and expiry. */
public record VerifiedToken(String email, String subject, String jti, Instant expiresAt) {}
