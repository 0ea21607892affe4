/** The token cipher bean from {@code ENCRYPTION_KEY} (lazy: services that hold no tokens need no key). */
package io.calsync.platform.security;
