-- accord schema, version 6 (annotation format 2): who says each cited
-- statement and how sure, typed timeframes, typed claim values, curated
-- relations between a claim's values and disputes, phrases that are not
-- mentions, and the region kind `slug`.

-- The attribution of one evidence citation. The reporter's own voice has
-- neither a speaker nor a description; a described speaker (never a
-- participant) has a description and whether it is anonymous.
CREATE TABLE attribution (
	id           INTEGER PRIMARY KEY,
	speaker_id   TEXT REFERENCES participant (id),
	description  TEXT CHECK (description IS NULL OR length(description) > 0),
	anonymous    INTEGER CHECK (anonymous IN (0, 1)),
	stance       TEXT NOT NULL CHECK (stance IN ('said', 'announced', 'believed',
	                 'accused', 'denied', 'reported', 'expected')),
	certainty    TEXT NOT NULL CHECK (certainty IN ('asserted', 'hedged',
	                 'expected', 'conditional', 'denied')),
	as_of        TEXT,
	CHECK (speaker_id IS NULL OR description IS NULL),
	CHECK ((description IS NULL) = (anonymous IS NULL))
) STRICT;

CREATE INDEX attribution_by_speaker ON attribution (speaker_id);

-- The reporting chain of an attribution, nearest the speaker first.
CREATE TABLE attribution_via (
	attribution_id  INTEGER NOT NULL REFERENCES attribution (id),
	ordinal         INTEGER NOT NULL,
	participant_id  TEXT REFERENCES participant (id),
	description     TEXT CHECK (description IS NULL OR length(description) > 0),
	anonymous       INTEGER CHECK (anonymous IN (0, 1)),
	CHECK ((participant_id IS NULL) <> (description IS NULL)),
	CHECK ((description IS NULL) = (anonymous IS NULL)),
	PRIMARY KEY (attribution_id, ordinal)
) STRICT;

CREATE INDEX attribution_via_by_participant ON attribution_via (participant_id);

-- Every evidence link has one (the loader always sets it).
ALTER TABLE agreement_evidence ADD COLUMN
	attribution_id INTEGER REFERENCES attribution (id);
ALTER TABLE outcome_evidence ADD COLUMN
	attribution_id INTEGER REFERENCES attribution (id);
ALTER TABLE claim_value_evidence ADD COLUMN
	attribution_id INTEGER REFERENCES attribution (id);

-- The words a timeframe was read from, and how it was derived from them.
ALTER TABLE outcome ADD COLUMN timeframe_stated TEXT
	CHECK (timeframe_stated IS NULL OR length(timeframe_stated) > 0);
ALTER TABLE outcome ADD COLUMN timeframe_rule TEXT
	CHECK (timeframe_rule IN ('as-stated', 'relative-to-article', 'season-of-year'));

-- A claim value's key (unique within its claim), type, quantity and
-- participant.
ALTER TABLE claim_value ADD COLUMN key TEXT;
ALTER TABLE claim_value ADD COLUMN type TEXT NOT NULL DEFAULT 'text'
	CHECK (type IN ('text', 'quantity', 'date', 'participant'));
ALTER TABLE claim_value ADD COLUMN quantity_bound TEXT
	CHECK (quantity_bound IN ('exactly', 'about', 'more-than', 'at-least',
	    'fewer-than', 'at-most'));
ALTER TABLE claim_value ADD COLUMN quantity_amount REAL;
ALTER TABLE claim_value ADD COLUMN quantity_counts TEXT;
ALTER TABLE claim_value ADD COLUMN participant_id TEXT
	REFERENCES participant (id);
CREATE UNIQUE INDEX claim_value_key ON claim_value (claim_id, key);

-- How the second value of a pair relates to the first.
CREATE TABLE claim_relation (
	claim_id   TEXT NOT NULL REFERENCES claim (id),
	ordinal    INTEGER NOT NULL,
	first_id   INTEGER NOT NULL REFERENCES claim_value (id),
	second_id  INTEGER NOT NULL REFERENCES claim_value (id),
	relation   TEXT NOT NULL CHECK (relation IN ('same', 'more-specific',
	               'different-precision', 'different-aspect', 'contradicts')),
	note       TEXT,
	CHECK (first_id <> second_id),
	PRIMARY KEY (claim_id, ordinal)
) STRICT;

-- A curated dispute's reason; derived: whether the values differ.
ALTER TABLE claim ADD COLUMN dispute_reason TEXT
	CHECK (dispute_reason IS NULL OR length(dispute_reason) > 0);
ALTER TABLE claim ADD COLUMN differs INTEGER NOT NULL DEFAULT 0
	CHECK (differs IN (0, 1));
CREATE INDEX claim_by_differs ON claim (differs, ordinal);

-- Phrases containing a participant's name that are not mentions of it.
CREATE TABLE participant_not_mention (
	participant_id  TEXT NOT NULL REFERENCES participant (id),
	phrase          TEXT NOT NULL CHECK (length(phrase) > 0),
	ordinal         INTEGER NOT NULL,
	removed         INTEGER NOT NULL CHECK (removed > 0),
	PRIMARY KEY (participant_id, ordinal)
) STRICT;

-- The region kinds of 002 and `slug` (a wire service's slug in a caption).
-- SQLite cannot alter a CHECK: the table is rebuilt (it is empty here).
DROP TRIGGER region_span_in_source;
DROP INDEX region_by_source;
DROP TABLE region;
CREATE TABLE region (
	id          INTEGER PRIMARY KEY,
	source_id   TEXT NOT NULL REFERENCES source (id),
	kind        TEXT NOT NULL CHECK (kind IN ('advertisement', 'caption',
	                'related-link', 'subscription', 'share', 'section-label',
	                'source-line', 'credit', 'print-edition', 'slug',
	                'cross-reference')),
	span_id     INTEGER NOT NULL REFERENCES span (id),
	links_to    TEXT REFERENCES source (id),
	CHECK ((kind = 'cross-reference') = (links_to IS NOT NULL)),
	CHECK (links_to IS NULL OR links_to <> source_id),
	UNIQUE (source_id, kind, span_id)
) STRICT;

CREATE INDEX region_by_source ON region (source_id);

CREATE TRIGGER region_span_in_source BEFORE INSERT ON region
BEGIN
	SELECT RAISE(ABORT, 'region: its span is in another source')
	WHERE (SELECT source_id FROM span WHERE id = NEW.span_id)
	      IS NOT NEW.source_id;
END;
