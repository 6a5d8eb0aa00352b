-- accord schema, version 9: indexes for a filter and a sort together, so
-- that a filtered page sorted by another field is a seek and a walk of
-- `limit` rows instead of a scan of the sort's index past every record the
-- filter refuses. GET /claims?disputed=true&sort=-corroboration (a
-- dashboard's disputes panel) walked claim_by_corroboration_desc over
-- every claim: at 1000x, with few or no disputed claims, 55,000 rows per
-- request, and ten times that at 10,000x.
CREATE INDEX claim_by_disputed_corroboration
	ON claim (disputed, corroboration, ordinal);
CREATE INDEX claim_by_disputed_corroboration_desc
	ON claim (disputed, corroboration DESC, ordinal);
