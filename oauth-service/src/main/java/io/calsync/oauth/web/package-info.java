/** The internal HTTP routes the gateway relays to, and the check of the caller's JWT (defense in depth). */
package io.calsync.oauth.web;
