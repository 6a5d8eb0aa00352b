#!/bin/sh
# db-digest.sh DB [--tables]: a content digest of an accord database.
#
# Prints one sha256 over the schema (sqlite_master's SQL, sorted) and every
# row of every table, each table's rows ordered by all of its columns, so
# that two databases with the same content have the same digest whatever
# their page layout or FTS5 segment structure.  The FTS5 index is read
# through its content and document-size tables (the sqlite3 shell lacks
# accord's tokenizer, and the b-tree of terms depends on how segments were
# merged); sqlite_stat1 and meta.built_by (the binary's version) are left
# out.  With --tables, prints one digest per table, to find which differs.
set -eu
db=$1
mode=${2:-}
tables=$(sqlite3 "$db" "SELECT name FROM sqlite_master WHERE type='table'
    AND name NOT LIKE 'sqlite_%' AND name NOT IN ('search_index',
    'search_index_data', 'search_index_idx', 'search_index_config')
    ORDER BY name")
dump() {
	sqlite3 "$db" "SELECT type, name, tbl_name, sql FROM sqlite_master
	    WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name" | sed 's/^/schema|/'
	for t in $tables; do
		n=$(sqlite3 "$db" "SELECT count(*) FROM pragma_table_info('$t')")
		order=$(seq -s, 1 "$n")
		where=""
		[ "$t" = meta ] && where="WHERE key <> 'built_by'"
		sqlite3 -quote "$db" "SELECT * FROM \"$t\" $where ORDER BY $order" |
		    sed "s/^/$t|/"
	done
}
if [ "$mode" = --tables ]; then

	out=$(mktemp -d)
	dump | awk -F'|' -v d="$out" '{ print > (d "/" $1) }'
	for f in "$out"/*; do
		printf '%s %s\n' "$(sha256sum < "$f" | cut -c1-16)" "${f##*/}"
	done
	rm -rf "$out"
else
	dump | sha256sum | cut -d' ' -f1
fi
