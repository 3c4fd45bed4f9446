-- The scorecard counts the rare handling events of a period (extensions,
-- returns, the platform's and the centre's 督办). Partial, so the events
-- every intake writes (created, classified, assigned) cost nothing here.
CREATE INDEX ticket_events_handling ON ticket_events(at)
    WHERE kind IN ('extension_requested', 'extension_approved', 'return_requested', 'return_approved', 'supervised', 'urged');
