-- An update whose handling fails (its transaction rolls back) is retried a
-- few times and then given up, so that a poison update is not retried at
-- every start forever: attempts counts the failures, last_error says why.
ALTER TABLE updates ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE updates ADD COLUMN last_error TEXT NOT NULL DEFAULT '';

-- A processed update needs only its id (to refuse a redelivery); its raw
-- JSON holds more than the hotline keeps, so ClaimUpdate now drops it, and
-- here it goes for the updates processed before.
UPDATE updates SET raw = '' WHERE processed_at IS NOT NULL;
