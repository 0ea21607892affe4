package io.calsync.model.persistence;

import io.calsync.model.domain.EventStatus;
import io.calsync.model.domain.RecurrenceFrequency;
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
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * An event as the provider holds it: a single event, a series master (with its RRULE/EXDATE/RDATE lines), or an
 * override or cancelled occurrence pointing at its master through {@code recurringEventId} and
 * {@code originalStartTime}. Unique by (connection, provider event id), the key of every upsert.
 */
@Entity
@Table(name = "calendar_events")
public class CalendarEvent {

    @Id
    @Column(name = "id")
    private UUID id;

    @Column(name = "connection_id", nullable = false)
    private UUID connectionId;

    @Column(name = "provider_event_id", length = 1024)
    private String providerEventId;

    @Column(name = "ical_uid", length = 1024)
    private String icalUid;

    @Column(name = "title", length = 1024)
    private String title;

    @Column(name = "description")
    private String description;

    @Column(name = "location")
    private String location;

    @Column(name = "start_time", nullable = false)
    private Instant startTime;

    @Column(name = "end_time", nullable = false)
    private Instant endTime;

    @Column(name = "is_all_day", nullable = false)
    private boolean isAllDay;

    @Column(name = "start_date")
    private LocalDate startDate;

    @Column(name = "end_date")
    private LocalDate endDate;

    @Column(name = "timezone", length = 64)
    private String timezone;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.NAMED_ENUM)
    @Column(name = "status", columnDefinition = "event_status", nullable = false)
    private EventStatus status;

    @Column(name = "recurrence_rule")
    private String recurrenceRule;

    /** When the series surely ended (from UNTIL, by the V12 trigger); null when unknown. Never written from here. */
    @Column(name = "series_end", insertable = false, updatable = false)
    private Instant seriesEnd;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "recurrence")
    private List<String> recurrence;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.NAMED_ENUM)
    @Column(name = "recurrence_frequency", columnDefinition = "recurrence_frequency")
    private RecurrenceFrequency recurrenceFrequency;

    @Column(name = "recurring_event_id")
    private UUID recurringEventId;

    @Column(name = "provider_recurring_id", length = 1024)
    private String providerRecurringId;

    @Column(name = "original_start_time")
    private Instant originalStartTime;

    @Column(name = "original_start_date")
    private LocalDate originalStartDate;

    @Column(name = "organizer_email", length = 320)
    private String organizerEmail;

    @Column(name = "html_link")
    private String htmlLink;

    @Column(name = "etag", length = 512)
    private String etag;

    @Column(name = "provider_updated_at")
    private Instant providerUpdatedAt;

    @Column(name = "sequence")
    private Integer sequence;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.NAMED_ENUM)
    @Column(name = "sync_status", columnDefinition = "sync_status", nullable = false)
    private SyncStatus syncStatus;

    @Column(name = "sync_error")
    private String syncError;

    @Column(name = "sync_attempts", nullable = false)
    private int syncAttempts;

    @Column(name = "pending_operation", length = 16)
    private String pendingOperation;

    @Column(name = "last_synced_at")
    private Instant lastSyncedAt;

    /** The message to the organizer of an answer not yet at the provider (V9); cleared when it is. */
    @Column(name = "rsvp_comment")
    private String rsvpComment;

    @Version
    @Column(name = "version", nullable = false)
    private long version;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected CalendarEvent() {}

    public CalendarEvent(UUID connectionId, Instant startTime, Instant endTime) {
        this.id = UUID.randomUUID();
        this.connectionId = connectionId;
        this.startTime = startTime;
        this.endTime = endTime;
        this.status = EventStatus.CONFIRMED;
        this.syncStatus = SyncStatus.SYNCED;
    }

    // PostgreSQL keeps microseconds: an answer built from this row must show what a later read of it shows.
    @PrePersist
    void onCreate() {
        createdAt = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        updatedAt = createdAt;
    }

    @PreUpdate
    void onUpdate() {
        updatedAt = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    public UUID getId() {
        return id;
    }

    public UUID getConnectionId() {
        return connectionId;
    }

    public void setConnectionId(UUID connectionId) {
        this.connectionId = connectionId;
    }

    public String getProviderEventId() {
        return providerEventId;
    }

    public void setProviderEventId(String providerEventId) {
        this.providerEventId = providerEventId;
    }

    public String getIcalUid() {
        return icalUid;
    }

    public void setIcalUid(String icalUid) {
        this.icalUid = icalUid;
    }

    public String getTitle() {
        return title;
    }

    public void setTitle(String title) {
        this.title = title;
    }

    public String getDescription() {
        return description;
    }

    public void setDescription(String description) {
        this.description = description;
    }

    public String getLocation() {
        return location;
    }

    public void setLocation(String location) {
        this.location = location;
    }

    public Instant getStartTime() {
        return startTime;
    }

    public void setStartTime(Instant startTime) {
        this.startTime = startTime;
    }

    public Instant getEndTime() {
        return endTime;
    }

    public void setEndTime(Instant endTime) {
        this.endTime = endTime;
    }

    public boolean isAllDay() {
        return isAllDay;
    }

    public void setAllDay(boolean isAllDay) {
        this.isAllDay = isAllDay;
    }

    public LocalDate getStartDate() {
        return startDate;
    }

    public void setStartDate(LocalDate startDate) {
        this.startDate = startDate;
    }

    public LocalDate getEndDate() {
        return endDate;
    }

    public void setEndDate(LocalDate endDate) {
        this.endDate = endDate;
    }

    public String getTimezone() {
        return timezone;
    }

    public void setTimezone(String timezone) {
        this.timezone = timezone;
    }

    public EventStatus getStatus() {
        return status;
    }

    public void setStatus(EventStatus status) {
        this.status = status;
    }

    public String getRecurrenceRule() {
        return recurrenceRule;
    }

    public void setRecurrenceRule(String recurrenceRule) {
        this.recurrenceRule = recurrenceRule;
    }

    public List<String> getRecurrence() {
        return recurrence;
    }

    public void setRecurrence(List<String> recurrence) {
        this.recurrence = recurrence;
    }

    public RecurrenceFrequency getRecurrenceFrequency() {
        return recurrenceFrequency;
    }

    public void setRecurrenceFrequency(RecurrenceFrequency recurrenceFrequency) {
        this.recurrenceFrequency = recurrenceFrequency;
    }

    public UUID getRecurringEventId() {
        return recurringEventId;
    }

    public void setRecurringEventId(UUID recurringEventId) {
        this.recurringEventId = recurringEventId;
    }

    public String getProviderRecurringId() {
        return providerRecurringId;
    }

    public void setProviderRecurringId(String providerRecurringId) {
        this.providerRecurringId = providerRecurringId;
    }

    public Instant getOriginalStartTime() {
        return originalStartTime;
    }

    public void setOriginalStartTime(Instant originalStartTime) {
        this.originalStartTime = originalStartTime;
    }

    public LocalDate getOriginalStartDate() {
        return originalStartDate;
    }

    public void setOriginalStartDate(LocalDate originalStartDate) {
        this.originalStartDate = originalStartDate;
    }

    public String getOrganizerEmail() {
        return organizerEmail;
    }

    public void setOrganizerEmail(String organizerEmail) {
        this.organizerEmail = organizerEmail;
    }

    public String getHtmlLink() {
        return htmlLink;
    }

    public void setHtmlLink(String htmlLink) {
        this.htmlLink = htmlLink;
    }

    public String getEtag() {
        return etag;
    }

    public void setEtag(String etag) {
        this.etag = etag;
    }

    public Instant getProviderUpdatedAt() {
        return providerUpdatedAt;
    }

    public void setProviderUpdatedAt(Instant providerUpdatedAt) {
        this.providerUpdatedAt = providerUpdatedAt;
    }

    public Integer getSequence() {
        return sequence;
    }

    public void setSequence(Integer sequence) {
        this.sequence = sequence;
    }

    public SyncStatus getSyncStatus() {
        return syncStatus;
    }

    public void setSyncStatus(SyncStatus syncStatus) {
        this.syncStatus = syncStatus;
    }

    public String getSyncError() {
        return syncError;
    }

    public void setSyncError(String syncError) {
        this.syncError = syncError;
    }

    public int getSyncAttempts() {
        return syncAttempts;
    }

    public void setSyncAttempts(int syncAttempts) {
        this.syncAttempts = syncAttempts;
    }

    public String getPendingOperation() {
        return pendingOperation;
    }

    public void setPendingOperation(String pendingOperation) {
        this.pendingOperation = pendingOperation;
    }

    public String getRsvpComment() {
        return rsvpComment;
    }

    public void setRsvpComment(String rsvpComment) {
        this.rsvpComment = rsvpComment;
    }

    public Instant getLastSyncedAt() {
        return lastSyncedAt;
    }

    public void setLastSyncedAt(Instant lastSyncedAt) {
        this.lastSyncedAt = lastSyncedAt;
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
