/** Push notifications as the providers send them: Google watch channels and Graph subscriptions with their handshakes. */
package io.calsync.sandbox.push;
