/**
 * The provider sandbox: a fake Google and Microsoft speaking their real HTTP APIs ({@code google}, {@code microsoft},
 * {@code oauth}), their push ({@code push}), injected faults ({@code faults}), the control API and demo data
 * ({@code control}) over the shared state ({@code core}). See {@code docs/sandbox.md}.
 */
package io.calsync.sandbox;
