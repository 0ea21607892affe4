/**
 * {@code key-rotation}: the job that moves every stored OAuth token onto the current {@code ENCRYPTION_KEY}, so that
 * a previous key can be dropped once the metric of what still uses one reads 0 (docs/runbook.md).
 */
package io.calsync.poller.rotation;
