package io.calsync.ingest.application;

/** Why a notification was acknowledged but not published; the {@code reason} tag of the dropped counter. */
public enum DropReason {
    /** No {@code webhook_subscriptions} row has this subscription or channel id. */
    UNKNOWN_SUBSCRIPTION("unknown_subscription"),
    /** Graph's {@code clientState} differs from the stored one: not sent by Graph for our subscription. */
    CLIENT_STATE_MISMATCH("client_state_mismatch"),
    /** Google's {@code X-Goog-Channel-Token} differs from the stored one. */
    CHANNEL_TOKEN_MISMATCH("channel_token_mismatch"),
    /** Google's {@code X-Goog-Resource-ID} differs from the stored one: a channel id reused for another calendar. */
    RESOURCE_MISMATCH("resource_mismatch"),
    /** A Google resource state other than {@code sync}, {@code exists}, {@code not_exists}. */
    UNSUPPORTED_STATE("unsupported_state"),
    /** A Graph entry without a subscription id. */
    MALFORMED("malformed");

    private final String tag;

    DropReason(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }
}
