-- accord schema, version 5: what the list queries filter and sort on,
-- derived once when the data is loaded (it is immutable afterwards)
-- instead of on every request. sql_derive fills it; sql_check recomputes
-- it and compares.

-- UNIQUE (source_id, byte_start, byte_end) on span already serves it.
DROP INDEX span_by_source;

-- The sources a fact stands on: those holding one of its evidence spans
-- (for a participant, one of its mentions).
CREATE TABLE fact_source (
	kind       TEXT NOT NULL
	           CHECK (kind IN ('participant', 'agreement', 'outcome', 'claim')),
	fact_id    TEXT NOT NULL,
	source_id  TEXT NOT NULL REFERENCES source (id),
	PRIMARY KEY (kind, fact_id, source_id)
) STRICT;

CREATE INDEX fact_source_by_source ON fact_source (source_id, kind, fact_id);

-- The participants a fact concerns: its parties, and those mentioned
-- inside one of its evidence spans (claims have no parties).
CREATE TABLE fact_participant (
	kind            TEXT NOT NULL CHECK (kind IN ('agreement', 'outcome', 'claim')),
	fact_id         TEXT NOT NULL,
	participant_id  TEXT NOT NULL REFERENCES participant (id),
	PRIMARY KEY (kind, fact_id, participant_id)
) STRICT;

CREATE INDEX fact_participant_by_participant
	ON fact_participant (participant_id, kind, fact_id);

-- How many sources back a fact; whether a claim's values differ.
ALTER TABLE agreement ADD COLUMN corroboration INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outcome ADD COLUMN corroboration INTEGER NOT NULL DEFAULT 0;
ALTER TABLE claim ADD COLUMN corroboration INTEGER NOT NULL DEFAULT 0;
ALTER TABLE claim ADD COLUMN disputed INTEGER NOT NULL DEFAULT 0
	CHECK (disputed IN (0, 1));
DROP VIEW claim_status;

-- Every sort order the lists offer, in both directions, each ending in
-- the curated order, so that a page (and a deep one, by keyset) is read
-- from an index instead of sorting the whole table.
CREATE INDEX source_by_headline ON source (coalesce(headline, ''), ordinal);
CREATE INDEX source_by_headline_desc ON source (coalesce(headline, '') DESC, ordinal);
CREATE INDEX source_by_publisher ON source (coalesce(publisher, ''), ordinal);
CREATE INDEX source_by_publisher_desc ON source (coalesce(publisher, '') DESC, ordinal);
CREATE INDEX source_by_date ON source (coalesce(date, ''), ordinal);
CREATE INDEX source_by_date_desc ON source (coalesce(date, '') DESC, ordinal);
CREATE INDEX participant_by_kind ON participant (kind, ordinal);
CREATE INDEX participant_by_kind_desc ON participant (kind DESC, ordinal);
CREATE INDEX participant_by_role ON participant (role, ordinal);
CREATE INDEX participant_by_role_desc ON participant (role DESC, ordinal);
CREATE INDEX participant_by_country ON participant (coalesce(country, ''), ordinal);
CREATE INDEX participant_by_country_desc ON participant (coalesce(country, '') DESC, ordinal);
CREATE INDEX agreement_by_title ON agreement (title, ordinal);
CREATE INDEX agreement_by_title_desc ON agreement (title DESC, ordinal);
CREATE INDEX agreement_by_date ON agreement (coalesce(date, ''), ordinal);
CREATE INDEX agreement_by_date_desc ON agreement (coalesce(date, '') DESC, ordinal);
CREATE INDEX agreement_by_status ON agreement (status, ordinal);
CREATE INDEX agreement_by_status_desc ON agreement (status DESC, ordinal);
CREATE INDEX agreement_by_corroboration ON agreement (corroboration, ordinal);
CREATE INDEX agreement_by_corroboration_desc ON agreement (corroboration DESC, ordinal);
CREATE INDEX outcome_by_kind ON outcome (kind, ordinal);
CREATE INDEX outcome_by_kind_desc ON outcome (kind DESC, ordinal);
CREATE INDEX outcome_by_status ON outcome (status, ordinal);
CREATE INDEX outcome_by_status_desc ON outcome (status DESC, ordinal);
CREATE INDEX outcome_by_timeframe ON outcome (coalesce(timeframe, ''), ordinal);
CREATE INDEX outcome_by_timeframe_desc ON outcome (coalesce(timeframe, '') DESC, ordinal);
CREATE INDEX outcome_by_corroboration ON outcome (corroboration, ordinal);
CREATE INDEX outcome_by_corroboration_desc ON outcome (corroboration DESC, ordinal);
CREATE INDEX claim_by_subject ON claim (subject, ordinal);
CREATE INDEX claim_by_subject_desc ON claim (subject DESC, ordinal);
CREATE INDEX claim_by_disputed ON claim (disputed, ordinal);
CREATE INDEX claim_by_disputed_desc ON claim (disputed DESC, ordinal);
CREATE INDEX claim_by_corroboration ON claim (corroboration, ordinal);
CREATE INDEX claim_by_corroboration_desc ON claim (corroboration DESC, ordinal);
