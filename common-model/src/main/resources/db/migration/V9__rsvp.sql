-- calsync schema, version 9: answering invitations (POST /events/{id}/rsvp).
--
-- The answer itself is the connected account's own attendee row (event_attendees.response_status); the event row
-- waits with pending_operation 'RSVP' until the provider has it (Google: the attendee's responseStatus; Graph:
-- accept, decline or tentativelyAccept), and rsvp_comment holds the optional message for the organizer until then.
ALTER TABLE calendar_events ADD COLUMN IF NOT EXISTS rsvp_comment text;
