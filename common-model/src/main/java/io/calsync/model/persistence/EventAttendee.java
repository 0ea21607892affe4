package io.calsync.model.persistence;

import io.calsync.model.domain.RsvpStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One attendee of an event, with the answer the provider reports. */
@Entity
@Table(name = "event_attendees")
public class EventAttendee {

    @Id
    @Column(name = "id")
    private UUID id;

    @Column(name = "event_id", nullable = false)
    private UUID eventId;

    @Column(name = "email", nullable = false, length = 320)
    private String email;

    @Column(name = "display_name", length = 512)
    private String displayName;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.NAMED_ENUM)
    @Column(name = "response_status", columnDefinition = "rsvp_status", nullable = false)
    private RsvpStatus responseStatus;

    @Column(name = "optional", nullable = false)
    private boolean optional;

    @Column(name = "organizer", nullable = false)
    private boolean organizer;

    protected EventAttendee() {}

    public EventAttendee(UUID eventId, String email, RsvpStatus responseStatus) {
        this.id = UUID.randomUUID();
        this.eventId = eventId;
        this.email = email;
        this.responseStatus = responseStatus;
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

    public String getEmail() {
        return email;
    }

    public void setEmail(String email) {
        this.email = email;
    }

    public String getDisplayName() {
        return displayName;
    }

    public void setDisplayName(String displayName) {
        this.displayName = displayName;
    }

    public RsvpStatus getResponseStatus() {
        return responseStatus;
    }

    public void setResponseStatus(RsvpStatus responseStatus) {
        this.responseStatus = responseStatus;
    }

    public boolean isOptional() {
        return optional;
    }

    public void setOptional(boolean optional) {
        this.optional = optional;
    }

    public boolean isOrganizer() {
        return organizer;
    }

    public void setOrganizer(boolean organizer) {
        this.organizer = organizer;
    }
}
