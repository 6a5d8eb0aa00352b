-- accord schema, version 4: full-text search over the articles (a row per
-- line, with its byte offset in the article) and over the facts.
CREATE VIRTUAL TABLE search_index USING fts5(
	body,
	kind UNINDEXED,		-- source, participant, agreement, outcome, claim
	ref UNINDEXED,		-- the record's id
	base UNINDEXED,		-- for a source line: its byte offset in the text
	tokenize = 'unicode61 remove_diacritics 2'
);
