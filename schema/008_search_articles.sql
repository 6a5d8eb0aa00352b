-- accord schema, version 8: search by article. An article is one row of
-- the index, whole, so that a query matches an article when the article
-- as a whole matches (all its words, anywhere in it) and gives one hit;
-- each fact is one row as before. The tokenizer "accord" (server/
-- tokenize.c, registered on every connection) is unicode61 except that
-- each character of a script written without spaces (Han, kana, Thai,
-- ...) is a token, so that 東京 is found inside 東京都.
DROP TABLE search_index;
CREATE VIRTUAL TABLE search_index USING fts5(
	body,
	kind UNINDEXED,		-- source, participant, agreement, outcome, claim
	ref UNINDEXED,		-- the record's id
	label UNINDEXED,	-- a source's headline, a fact's name, title,
				-- summary or subject
	tokenize = 'accord remove_diacritics 2'
);
