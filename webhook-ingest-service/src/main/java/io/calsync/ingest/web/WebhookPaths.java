package io.calsync.ingest.web;

/** The routes of the contract's "Webhooks" section. */
final class WebhookPaths {

    static final String PREFIX = "/api/v1/calendar/webhooks";
    static final String MICROSOFT = PREFIX + "/microsoft";
    static final String MICROSOFT_LIFECYCLE = PREFIX + "/microsoft/lifecycle";
    static final String GOOGLE = PREFIX + "/google";
    /** Benchmark only (calsync.bench.bare-endpoint=true): 202 with nothing done, the baseline of bench/. */
    static final String BENCH_BARE = PREFIX + "/bench/bare";

    private WebhookPaths() {}
}
