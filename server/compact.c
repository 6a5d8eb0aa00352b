#include "compact.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t
compact_escape(unsigned char c, char out[6])
{
	static const char hex[] = "0123456789ABCDEF";

	out[0] = '\\';
	switch (c) {
	case '"': out[1] = '"'; return 2;
	case '\\': out[1] = '\\'; return 2;
	case '\b': out[1] = 'b'; return 2;
	case '\f': out[1] = 'f'; return 2;
	case '\n': out[1] = 'n'; return 2;
	case '\r': out[1] = 'r'; return 2;
	case '\t': out[1] = 't'; return 2;
	default:
		memcpy(out + 1, "u00", 3);
		out[4] = hex[c >> 4];
		out[5] = hex[c & 15];
		return 6;
	}
}

void
compact_string(struct text *t, const char *s, size_t n)
{
	size_t run = 0;

	text_add(t, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[6];

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		text_add(t, s + run, i - run);
		run = i + 1;
		text_add(t, esc, compact_escape(c, esc));
	}
	text_add(t, s + run, n - run);
	text_add(t, "\"", 1);
}

/* Appends a real as jansson writes it (its own shortest-exact rule). */
static int
append_real(struct text *t, const json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

	if (s == NULL) {
		t->failed = true;
		return -1;
	}
	text_add(t, s, strlen(s));
	free(s);
	return 0;
}

static int
append_object(struct text *t, const json_t *v)
{
	const char *key;
	json_t *member;
	bool first = true;

	text_add(t, "{", 1);
	json_object_foreach((json_t *)v, key, member) {
		if (!first)
			text_add(t, ",", 1);
		first = false;
		compact_string(t, key, strlen(key));
		text_add(t, ":", 1);
		if (compact_append(t, member) != 0)
			return -1;
	}
	text_add(t, "}", 1);
	return 0;
}

int
compact_append(struct text *t, const json_t *v)
{
	char num[32];

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return append_object(t, v);
	case JSON_ARRAY:
		text_add(t, "[", 1);
		for (size_t i = 0; i < json_array_size(v); i++) {
			if (i > 0)
				text_add(t, ",", 1);
			if (compact_append(t, json_array_get(v, i)) != 0)
				return -1;
		}
		text_add(t, "]", 1);
		break;
	case JSON_STRING:
		compact_string(t, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		text_add(t, num, (size_t)snprintf(num, sizeof(num), "%"
		    JSON_INTEGER_FORMAT, json_integer_value(v)));
		break;
	case JSON_REAL:
		return append_real(t, v);
	case JSON_TRUE:
		text_add(t, "true", 4);
		break;
	case JSON_FALSE:
		text_add(t, "false", 5);
		break;
	case JSON_NULL:
		text_add(t, "null", 4);
		break;
	}
	return t->failed ? -1 : 0;
}
