/**
 * How every calsync service runs. {@link io.calsync.platform.CalsyncApplication} checks the environment before
 * Spring starts; {@link io.calsync.platform.CalsyncEnvironmentPostProcessor} maps the contract's variable names onto
 * Spring properties and adds the shared defaults; the auto-configurations in {@code kafka}, {@code security} and
 * {@code persistence} wire topics, broker health, publishing, the listener failure policy and the token cipher.
 */
package io.calsync.platform;
