package io.calsync.providers.port;

import java.util.List;

/**
 * Where an adapter puts each page as soon as it has it, so that a sync of 10,000 events never holds them all in
 * memory. Each page is stored in its own transaction by the engine; a pass that dies half-way is simply run again
 * from the old cursor (upserts are idempotent). {@code removedIds}: provider ids deleted at the provider (Google
 * {@code status=cancelled} of a single event or master, Graph {@code @removed}).
 */
@FunctionalInterface
public interface PageSink {

    void accept(List<ProviderEvent> upserts, List<String> removedIds);
}
