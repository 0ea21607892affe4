-- calsync schema, version 10: the main app's subject beside the email.
--
-- Users are identified by the email claim (the contract), so an email the main app gives to another person would
-- hand that person the calendars of the first. The token's `sub` is kept from now on: the first call that carries one
-- records it, and a later token for the same email with another `sub` is logged and counted
-- (calsync_identity_subject_changed_total), so that operators learn of a reassigned email.
ALTER TABLE calendar_users ADD COLUMN IF NOT EXISTS subject varchar(255);
