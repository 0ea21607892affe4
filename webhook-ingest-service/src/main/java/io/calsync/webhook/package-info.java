/** The application class of webhook-ingest-service; its code is under {@code io.calsync.ingest}. */
package io.calsync.webhook;
