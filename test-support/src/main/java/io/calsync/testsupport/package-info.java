/** Real PostgreSQL and Kafka for integration tests, and main-app tokens to call the services with. */
package io.calsync.testsupport;
