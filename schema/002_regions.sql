-- accord schema, version 2: regions of a source that are not reporting
-- (advertisements, captions, related-article links, ...) and
-- cross-references, the places where one source names another's headline.

CREATE TABLE region (
	id          INTEGER PRIMARY KEY,
	source_id   TEXT NOT NULL REFERENCES source (id),
	kind        TEXT NOT NULL CHECK (kind IN ('advertisement', 'caption',
	                'related-link', 'subscription', 'share', 'section-label',
	                'source-line', 'credit', 'print-edition', 'cross-reference')),
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
