package io.calsync.ingest.web;

/** The routes of the contract's "Webhooks" section. */
final class WebhookPaths {

    static final String PREFIX = "/api/v1/calendar/webhooks";
    static final String MICROSOFT = PREFIX + "/microsoft";
    static final String MICROSOFT_LIFECYCLE = PREFIX + "/microsoft/lifecycle";
    static final String GOOGLE = PREFIX + "/google";

    private WebhookPaths() {}
}
