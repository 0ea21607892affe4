/** The control API (/control) for tests and demos, and the demo accounts' seeding; never part of a provider. */
package io.calsync.sandbox.control;
