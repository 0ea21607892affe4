/**
 * What every calsync service shares, and nothing service-specific.
 *
 * <ul>
 *   <li>{@code domain}: the value types of the calendar world (providers, statuses) as the database enums hold them.
 *   <li>{@code persistence}: JPA entities and repositories of the shared tables. Flyway owns the schema
 *       ({@code db/migration}); Hibernate only validates it.
 *   <li>{@code messaging}: Kafka topic names and the immutable message records that travel on them.
 *   <li>{@code security}: the token cipher and the verifier of the main app's JWTs.
 *   <li>{@code config}: the start-up checks of the environment variables the contract names.
 * </ul>
 */
package io.calsync.model;
