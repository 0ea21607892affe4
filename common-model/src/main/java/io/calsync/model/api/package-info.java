/** Response shapes of the frontend contract that more than one service answers. */
package io.calsync.model.api;
