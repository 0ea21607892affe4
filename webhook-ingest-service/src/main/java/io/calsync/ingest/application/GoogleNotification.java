package io.calsync.ingest.application;

/**
 * A Google Calendar push message, read from its {@code X-Goog-*} headers (Calendar notifications have no body).
 *
 * @param resourceState {@code sync} (the channel was opened), {@code exists} or {@code not_exists}
 * @param messageNumber increases per channel; null when absent or not a number
 */
public record GoogleNotification(
        String channelId,
        String channelToken,
        String resourceId,
        String resourceUri,
        String resourceState,
        Long messageNumber) {

    /** Without the channel token, which is a secret. */
    @Override
    public String toString() {
        return "GoogleNotification[channelId=" + channelId + ", resourceId=" + resourceId + ", resourceState="
                + resourceState + ", messageNumber=" + messageNumber + "]";
    }
}
