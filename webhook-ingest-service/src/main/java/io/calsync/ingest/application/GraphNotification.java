package io.calsync.ingest.application;

/**
 * One entry of a Graph change-notification collection ({@code value[]}): a change ({@code changeType} set) or a
 * lifecycle notification ({@code lifecycleEvent} set). Any field may be null when Graph (or a forger) left it out.
 */
public record GraphNotification(
        String subscriptionId, String clientState, String changeType, String resource, String lifecycleEvent) {

    public boolean isLifecycle() {
        return lifecycleEvent != null;
    }

    /** Without the clientState, which is a secret. */
    @Override
    public String toString() {
        return "GraphNotification[subscriptionId=" + subscriptionId + ", changeType=" + changeType + ", resource="
                + resource + ", lifecycleEvent=" + lifecycleEvent + "]";
    }
}
