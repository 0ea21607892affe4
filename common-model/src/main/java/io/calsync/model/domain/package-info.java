/** Value types of the calendar world, each mirroring a PostgreSQL enum type of the schema. */
package io.calsync.model.domain;
