-- accord schema, version 7: what a dashboard reads in one call.

-- The outcome whose timeframe a claim's values state (curated:
-- "timeframe_of" in data/annotations): when the claim is disputed, it
-- disputes the outcome's date.
ALTER TABLE claim ADD COLUMN timeframe_of TEXT REFERENCES outcome (id);
CREATE INDEX claim_by_timeframe_of ON claim (timeframe_of);

-- Every agreement and outcome, dated or not, and every claim value that
-- is an ISO 8601 date, with the first and last day of its period
-- (YYYY-MM-DD), its precision, and its place in the curated order (rank:
-- agreements, outcomes, then claims; the fact's ordinal; the value's).
-- Derived at load by sql_derive; sql_check recomputes it and compares.
CREATE TABLE timeline (
	kind       TEXT NOT NULL CHECK (kind IN ('agreement', 'outcome', 'claim')),
	fact_id    TEXT NOT NULL,
	value      TEXT,
	date       TEXT,
	first_day  TEXT,
	last_day   TEXT,
	precision  TEXT,
	rank       INTEGER NOT NULL,
	ordinal    INTEGER NOT NULL,
	value_ordinal INTEGER NOT NULL,
	UNIQUE (rank, ordinal, value_ordinal)
) STRICT;

CREATE INDEX timeline_in_order ON timeline
	(first_day IS NULL, first_day, last_day, rank, ordinal, value_ordinal);
