-- accord schema, version 3: facts about the database itself.
CREATE TABLE meta (
	key    TEXT PRIMARY KEY CHECK (key IN ('data_sha256', 'built_by')),
	value  TEXT NOT NULL
) STRICT;
