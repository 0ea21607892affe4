package io.calsync.model.persistence;

import io.calsync.model.domain.ReminderMethod;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One reminder of an event. */
@Entity
@Table(name = "event_reminders")
public class EventReminder {

    @Id
    @Column(name = "id")
    private UUID id;

    @Column(name = "event_id", nullable = false)
    private UUID eventId;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.NAMED_ENUM)
    @Column(name = "method", columnDefinition = "reminder_method", nullable = false)
    private ReminderMethod method;

    @Column(name = "minutes_before", nullable = false)
    private int minutesBefore;

    protected EventReminder() {}

    public EventReminder(UUID eventId, ReminderMethod method, int minutesBefore) {
        this.id = UUID.randomUUID();
        this.eventId = eventId;
        this.method = method;
        this.minutesBefore = minutesBefore;
    }

    public UUID getId() {
        return id;
    }

    public UUID getEventId() {
        return eventId;
    }

    public void setEventId(UUID eventId) {
        this.eventId = eventId;
    }

    public ReminderMethod getMethod() {
        return method;
    }

    public void setMethod(ReminderMethod method) {
        this.method = method;
    }

    public int getMinutesBefore() {
        return minutesBefore;
    }

    public void setMinutesBefore(int minutesBefore) {
        this.minutesBefore = minutesBefore;
    }
}
