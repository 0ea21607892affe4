package io.calsync.ingest.application;

/** What became of the notifications of one request: published (acknowledged by the broker) or dropped. */
public record IngestResult(int accepted, int dropped) {}
