/** The sandbox's state: accounts, clients, settings, shared by both fake providers. */
package io.calsync.sandbox.core;
