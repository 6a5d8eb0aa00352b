-- accord schema, version 1.
-- (No WITHOUT ROWID tables: SQLite 3.40's integrity_check misreports their
-- NOT NULL columns as NULL.)
-- Every fact is grounded in spans of a source's text; a trigger keeps each
-- span within its source, and the loader verifies every span against the
-- text before the database is put in place.

CREATE TABLE source (
	id               TEXT PRIMARY KEY
	                 CHECK (length(id) BETWEEN 1 AND 64 AND id NOT GLOB '*[^a-z0-9-]*'),
	file             TEXT NOT NULL,
	sha256           TEXT NOT NULL UNIQUE
	                 CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
	headline         TEXT,
	publisher        TEXT,
	byline           TEXT,
	date             TEXT,
	url              TEXT,
	len_codepoints   INTEGER NOT NULL,
	len_bytes        INTEGER NOT NULL,
	len_utf16        INTEGER NOT NULL CHECK (len_utf16 >= len_codepoints),
	ordinal          INTEGER NOT NULL UNIQUE,
	-- Last, so that reading the columns above never walks its pages.
	text             TEXT NOT NULL,
	CHECK (len_codepoints = length(text)),
	CHECK (len_bytes = length(CAST(text AS BLOB)))
) STRICT;

CREATE TABLE span (
	id           INTEGER PRIMARY KEY,
	source_id    TEXT NOT NULL REFERENCES source (id),
	cp_start     INTEGER NOT NULL,
	cp_end       INTEGER NOT NULL,
	byte_start   INTEGER NOT NULL,
	byte_end     INTEGER NOT NULL,
	utf16_start  INTEGER NOT NULL,
	utf16_end    INTEGER NOT NULL,
	exact        TEXT NOT NULL,
	prefix       TEXT NOT NULL,
	suffix       TEXT NOT NULL,
	CHECK (0 <= cp_start AND cp_start <= cp_end),
	CHECK (0 <= byte_start AND byte_start <= byte_end),
	CHECK (0 <= utf16_start AND utf16_start <= utf16_end),
	CHECK (cp_end - cp_start = length(exact)),
	CHECK (byte_end - byte_start = length(CAST(exact AS BLOB))),
	UNIQUE (source_id, byte_start, byte_end)
) STRICT;

CREATE INDEX span_by_source ON span (source_id, byte_start);

-- 0 <= start <= end <= the source's length, in each unit. (That the exact
-- text is the source's text at those offsets, in all three units, is
-- checked once for every span after a load: see db_verify_spans.)
CREATE TRIGGER span_within_source BEFORE INSERT ON span
BEGIN
	SELECT RAISE(ABORT, 'span: no such source')
	WHERE NOT EXISTS (SELECT 1 FROM source WHERE id = NEW.source_id);
	SELECT RAISE(ABORT, 'span: end beyond the source')
	FROM source s WHERE s.id = NEW.source_id
	  AND (NEW.cp_end > s.len_codepoints OR NEW.byte_end > s.len_bytes
	       OR NEW.utf16_end > s.len_utf16);
END;

CREATE TRIGGER span_immutable BEFORE UPDATE ON span
BEGIN
	SELECT RAISE(ABORT, 'span: spans are immutable');
END;

-- Metadata fields of a source (headline, byline, ...) and the words stating them.
CREATE TABLE source_metadata_evidence (
	source_id  TEXT NOT NULL REFERENCES source (id),
	field      TEXT NOT NULL
	           CHECK (field IN ('headline', 'publisher', 'byline', 'date', 'url')),
	span_id    INTEGER NOT NULL REFERENCES span (id),
	PRIMARY KEY (source_id, field)
) STRICT;

CREATE TABLE participant (
	id           TEXT PRIMARY KEY
	             CHECK (length(id) BETWEEN 1 AND 64 AND id NOT GLOB '*[^a-z0-9-]*'),
	name         TEXT NOT NULL UNIQUE CHECK (length(name) > 0),
	kind         TEXT NOT NULL CHECK (kind IN ('person', 'organization', 'country')),
	title        TEXT,
	affiliation  TEXT,
	country      TEXT CHECK (country IS NULL OR (length(country) = 2
	                         AND country NOT GLOB '*[^A-Z]*')),
	role         TEXT NOT NULL
	             CHECK (role IN ('delegate', 'official', 'commentator', 'mentioned', 'author')),
	ordinal      INTEGER NOT NULL UNIQUE
) STRICT;

CREATE TABLE participant_alias (
	participant_id  TEXT NOT NULL REFERENCES participant (id),
	alias           TEXT NOT NULL UNIQUE CHECK (length(alias) > 0),
	ordinal         INTEGER NOT NULL,
	PRIMARY KEY (participant_id, ordinal)
) STRICT;

CREATE TABLE mention (
	participant_id  TEXT NOT NULL REFERENCES participant (id),
	span_id         INTEGER NOT NULL UNIQUE REFERENCES span (id),
	PRIMARY KEY (participant_id, span_id)
) STRICT;

CREATE TABLE agreement (
	id       TEXT PRIMARY KEY
	         CHECK (length(id) BETWEEN 1 AND 64 AND id NOT GLOB '*[^a-z0-9-]*'),
	title    TEXT NOT NULL CHECK (length(title) > 0),
	date     TEXT,
	status   TEXT NOT NULL
	         CHECK (status IN ('agreed', 'proposed', 'under-consideration', 'implemented')),
	summary  TEXT NOT NULL CHECK (length(summary) > 0),
	ordinal  INTEGER NOT NULL UNIQUE
) STRICT;

CREATE TABLE agreement_party (
	agreement_id    TEXT NOT NULL REFERENCES agreement (id),
	participant_id  TEXT NOT NULL REFERENCES participant (id),
	ordinal         INTEGER NOT NULL,
	PRIMARY KEY (agreement_id, participant_id)
) STRICT;

CREATE TABLE agreement_evidence (
	agreement_id  TEXT NOT NULL REFERENCES agreement (id),
	span_id       INTEGER NOT NULL REFERENCES span (id),
	PRIMARY KEY (agreement_id, span_id)
) STRICT;

CREATE TABLE outcome (
	id                   TEXT PRIMARY KEY
	                     CHECK (length(id) BETWEEN 1 AND 64 AND id NOT GLOB '*[^a-z0-9-]*'),
	kind                 TEXT NOT NULL CHECK (kind IN ('commitment', 'event', 'exercise',
	                         'mechanism', 'guideline', 'exchange', 'proposal')),
	status               TEXT NOT NULL
	                     CHECK (status IN ('agreed', 'proposed', 'under-consideration')),
	timeframe            TEXT,
	timeframe_precision  TEXT CHECK (timeframe_precision IN ('year', 'season', 'month', 'day')),
	agreement_id         TEXT REFERENCES agreement (id),
	summary              TEXT NOT NULL CHECK (length(summary) > 0),
	ordinal              INTEGER NOT NULL UNIQUE,
	CHECK ((timeframe IS NULL) = (timeframe_precision IS NULL))
) STRICT;

CREATE INDEX outcome_by_agreement ON outcome (agreement_id);

CREATE TABLE outcome_party (
	outcome_id      TEXT NOT NULL REFERENCES outcome (id),
	participant_id  TEXT NOT NULL REFERENCES participant (id),
	ordinal         INTEGER NOT NULL,
	PRIMARY KEY (outcome_id, participant_id)
) STRICT;

CREATE TABLE outcome_evidence (
	outcome_id  TEXT NOT NULL REFERENCES outcome (id),
	span_id     INTEGER NOT NULL REFERENCES span (id),
	PRIMARY KEY (outcome_id, span_id)
) STRICT;

CREATE TABLE claim (
	id        TEXT PRIMARY KEY
	          CHECK (length(id) BETWEEN 1 AND 64 AND id NOT GLOB '*[^a-z0-9-]*'),
	subject   TEXT NOT NULL CHECK (length(subject) > 0),
	ordinal   INTEGER NOT NULL UNIQUE
) STRICT;

CREATE TABLE claim_value (
	id        INTEGER PRIMARY KEY,
	claim_id  TEXT NOT NULL REFERENCES claim (id),
	value     TEXT NOT NULL CHECK (length(value) > 0),
	ordinal   INTEGER NOT NULL,
	UNIQUE (claim_id, value),
	UNIQUE (claim_id, ordinal)
) STRICT;

CREATE TABLE claim_value_evidence (
	claim_value_id  INTEGER NOT NULL REFERENCES claim_value (id),
	span_id         INTEGER NOT NULL REFERENCES span (id),
	PRIMARY KEY (claim_value_id, span_id)
) STRICT;

-- Indexes for the reverse lookups (facts by span, spans by fact).
CREATE INDEX agreement_evidence_by_span ON agreement_evidence (span_id);
CREATE INDEX outcome_evidence_by_span ON outcome_evidence (span_id);
CREATE INDEX claim_value_evidence_by_span ON claim_value_evidence (span_id);
CREATE INDEX agreement_party_by_participant ON agreement_party (participant_id);
CREATE INDEX outcome_party_by_participant ON outcome_party (participant_id);

-- A claim is disputed when its values differ; derived, never stored.
CREATE VIEW claim_status AS
	SELECT c.id AS claim_id, (SELECT count(*) FROM claim_value v
	                          WHERE v.claim_id = c.id) > 1 AS disputed
	FROM claim c;
