-- Each index on tickets is one more page written per intake. These two
-- served only the minute jobs (SLA checks, visit lists), which read a
-- snapshot on the read pool: scanning a township's tickets (tens of
-- thousands a year) there costs milliseconds and delays no resident, while
-- the pages saved keep intake above 2,000 messages a second. Past a few
-- hundred thousand tickets, archive closed ones rather than index again.
DROP INDEX tickets_state;
DROP INDEX tickets_village;
