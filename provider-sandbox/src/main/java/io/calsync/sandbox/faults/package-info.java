/** Injected faults (latency, errors, rate limits, dropped or duplicated notifications) matched per provider, method and path. */
package io.calsync.sandbox.faults;
