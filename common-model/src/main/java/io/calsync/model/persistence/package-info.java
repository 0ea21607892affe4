/**
 * JPA entities and repositories of the shared tables. The schema belongs to Flyway ({@code db/migration}); these
 * classes only map it and Hibernate validates them against it at start ({@code ddl-auto=validate}). Entities never
 * leave a service as API payloads: the web layers map them to records at the edge.
 */
package io.calsync.model.persistence;
