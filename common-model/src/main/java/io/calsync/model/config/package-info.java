/** Start-up checks and parsing of the environment variables the contract names ({@code SECRET_KEY}, ...). */
package io.calsync.model.config;
