package io.calsync.model.persistence;

import io.calsync.model.domain.CalendarProvider;
import io.calsync.model.domain.SyncStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.PrePersist;
import jakarta.persistence.PreUpdate;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One connected calendar: a calendar of a Google or Microsoft account, or an ICS feed. Holds the encrypted tokens
 * and the incremental-sync state (Google sync token, Graph delta link, ICS validators).
 */
@Entity
@Table(name = "calendar_connections")
public class CalendarConnection {

    /** The contract's per-user cap: at most this many calendars (connections of any provider) per user. */
    public static final int MAX_PER_USER = 100;

    @Id
    @Column(name = "id")
    private UUID id;

    @Column(name = "user_id", nullable = false)
    private UUID userId;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.NAMED_ENUM)
    @Column(name = "provider", columnDefinition = "calendar_provider", nullable = false)
    private CalendarProvider provider;

    @Column(name = "provider_calendar_id", nullable = false, length = 1024)
    private String providerCalendarId;

    @Column(name = "calendar_name", nullable = false, length = 512)
    private String calendarName;

    @Column(name = "account_email")
    private String accountEmail;

    @Column(name = "color")
    private String color;

    @Column(name = "is_primary", nullable = false)
    private boolean isPrimary;

    @Column(name = "is_read_only", nullable = false)
    private boolean isReadOnly;

    @Column(name = "is_connected", nullable = false)
    private boolean isConnected;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.NAMED_ENUM)
    @Column(name = "sync_status", columnDefinition = "sync_status", nullable = false)
    private SyncStatus syncStatus;

    @Column(name = "last_synced_at")
    private Instant lastSyncedAt;

    @Column(name = "last_sync_error")
    private String lastSyncError;

    @Column(name = "ics_url")
    private String icsUrl;

    @Column(name = "access_token")
    private String accessToken;

    @Column(name = "refresh_token")
    private String refreshToken;

    @Column(name = "token_expires_at")
    private Instant tokenExpiresAt;

    @Column(name = "token_scopes")
    private String tokenScopes;

    @Column(name = "token_version", nullable = false)
    private long tokenVersion;

    @Column(name = "disconnected_reason")
    private String disconnectedReason;

    @Column(name = "google_sync_token")
    private String googleSyncToken;

    @Column(name = "graph_delta_link")
    private String graphDeltaLink;

    @Column(name = "sync_window_start")
    private Instant syncWindowStart;

    @Column(name = "sync_window_end")
    private Instant syncWindowEnd;

    @Column(name = "ics_etag")
    private String icsEtag;

    @Column(name = "ics_last_modified")
    private String icsLastModified;

    @Column(name = "ics_refresh_interval_secs")
    private Integer icsRefreshIntervalSecs;

    @Column(name = "next_refresh_at")
    private Instant nextRefreshAt;

    @Column(name = "consecutive_failures", nullable = false)
    private int consecutiveFailures;

    @Column(name = "max_event_duration_secs", nullable = false)
    private long maxEventDurationSecs;

    @Column(name = "event_count", nullable = false)
    private int eventCount;

    @Version
    @Column(name = "version", nullable = false)
    private long version;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected CalendarConnection() {}

    public CalendarConnection(UUID userId, CalendarProvider provider, String providerCalendarId, String calendarName) {
        this.id = UUID.randomUUID();
        this.userId = userId;
        this.provider = provider;
        this.providerCalendarId = providerCalendarId;
        this.calendarName = calendarName;
        this.isConnected = true;
        this.syncStatus = SyncStatus.PENDING;
        this.maxEventDurationSecs = 86_400;
    }

    @PrePersist
    void onCreate() {
        createdAt = Instant.now();
        updatedAt = createdAt;
    }

    @PreUpdate
    void onUpdate() {
        updatedAt = Instant.now();
    }

    public UUID getId() {
        return id;
    }

    public UUID getUserId() {
        return userId;
    }

    public void setUserId(UUID userId) {
        this.userId = userId;
    }

    public CalendarProvider getProvider() {
        return provider;
    }

    public void setProvider(CalendarProvider provider) {
        this.provider = provider;
    }

    public String getProviderCalendarId() {
        return providerCalendarId;
    }

    public void setProviderCalendarId(String providerCalendarId) {
        this.providerCalendarId = providerCalendarId;
    }

    public String getCalendarName() {
        return calendarName;
    }

    public void setCalendarName(String calendarName) {
        this.calendarName = calendarName;
    }

    public String getAccountEmail() {
        return accountEmail;
    }

    public void setAccountEmail(String accountEmail) {
        this.accountEmail = accountEmail;
    }

    public String getColor() {
        return color;
    }

    public void setColor(String color) {
        this.color = color;
    }

    public boolean isPrimary() {
        return isPrimary;
    }

    public void setPrimary(boolean isPrimary) {
        this.isPrimary = isPrimary;
    }

    public boolean isReadOnly() {
        return isReadOnly;
    }

    public void setReadOnly(boolean isReadOnly) {
        this.isReadOnly = isReadOnly;
    }

    public boolean isConnected() {
        return isConnected;
    }

    public void setConnected(boolean isConnected) {
        this.isConnected = isConnected;
    }

    public SyncStatus getSyncStatus() {
        return syncStatus;
    }

    public void setSyncStatus(SyncStatus syncStatus) {
        this.syncStatus = syncStatus;
    }

    public Instant getLastSyncedAt() {
        return lastSyncedAt;
    }

    public void setLastSyncedAt(Instant lastSyncedAt) {
        this.lastSyncedAt = lastSyncedAt;
    }

    public String getLastSyncError() {
        return lastSyncError;
    }

    public void setLastSyncError(String lastSyncError) {
        this.lastSyncError = lastSyncError;
    }

    public String getIcsUrl() {
        return icsUrl;
    }

    public void setIcsUrl(String icsUrl) {
        this.icsUrl = icsUrl;
    }

    public String getAccessToken() {
        return accessToken;
    }

    public void setAccessToken(String accessToken) {
        this.accessToken = accessToken;
    }

    public String getRefreshToken() {
        return refreshToken;
    }

    public void setRefreshToken(String refreshToken) {
        this.refreshToken = refreshToken;
    }

    public Instant getTokenExpiresAt() {
        return tokenExpiresAt;
    }

    public void setTokenExpiresAt(Instant tokenExpiresAt) {
        this.tokenExpiresAt = tokenExpiresAt;
    }

    public String getTokenScopes() {
        return tokenScopes;
    }

    public void setTokenScopes(String tokenScopes) {
        this.tokenScopes = tokenScopes;
    }

    public long getTokenVersion() {
        return tokenVersion;
    }

    public void setTokenVersion(long tokenVersion) {
        this.tokenVersion = tokenVersion;
    }

    public String getDisconnectedReason() {
        return disconnectedReason;
    }

    public void setDisconnectedReason(String disconnectedReason) {
        this.disconnectedReason = disconnectedReason;
    }

    public String getGoogleSyncToken() {
        return googleSyncToken;
    }

    public void setGoogleSyncToken(String googleSyncToken) {
        this.googleSyncToken = googleSyncToken;
    }

    public String getGraphDeltaLink() {
        return graphDeltaLink;
    }

    public void setGraphDeltaLink(String graphDeltaLink) {
        this.graphDeltaLink = graphDeltaLink;
    }

    public Instant getSyncWindowStart() {
        return syncWindowStart;
    }

    public void setSyncWindowStart(Instant syncWindowStart) {
        this.syncWindowStart = syncWindowStart;
    }

    public Instant getSyncWindowEnd() {
        return syncWindowEnd;
    }

    public void setSyncWindowEnd(Instant syncWindowEnd) {
        this.syncWindowEnd = syncWindowEnd;
    }

    public String getIcsEtag() {
        return icsEtag;
    }

    public void setIcsEtag(String icsEtag) {
        this.icsEtag = icsEtag;
    }

    public String getIcsLastModified() {
        return icsLastModified;
    }

    public void setIcsLastModified(String icsLastModified) {
        this.icsLastModified = icsLastModified;
    }

    public Integer getIcsRefreshIntervalSecs() {
        return icsRefreshIntervalSecs;
    }

    public void setIcsRefreshIntervalSecs(Integer icsRefreshIntervalSecs) {
        this.icsRefreshIntervalSecs = icsRefreshIntervalSecs;
    }

    public Instant getNextRefreshAt() {
        return nextRefreshAt;
    }

    public void setNextRefreshAt(Instant nextRefreshAt) {
        this.nextRefreshAt = nextRefreshAt;
    }

    public int getConsecutiveFailures() {
        return consecutiveFailures;
    }

    public void setConsecutiveFailures(int consecutiveFailures) {
        this.consecutiveFailures = consecutiveFailures;
    }

    public long getMaxEventDurationSecs() {
        return maxEventDurationSecs;
    }

    public void setMaxEventDurationSecs(long maxEventDurationSecs) {
        this.maxEventDurationSecs = maxEventDurationSecs;
    }

    public int getEventCount() {
        return eventCount;
    }

    public void setEventCount(int eventCount) {
        this.eventCount = eventCount;
    }

    public long getVersion() {
        return version;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }
}
