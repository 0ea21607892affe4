package io.calsync.sandbox.microsoft;

import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The zone start/end are written in: UTC unless the request said {@code Prefer: outlook.timezone="..."}, in which
 * case {@code label} is the name as the client wrote it (Graph echoes it in {@code timeZone}).
 */
public record RenderZone(ZoneId zone, String label) {

    public static final RenderZone UTC = new RenderZone(ZoneOffset.UTC, "UTC");
}
