#include "compact.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
compact_string(struct text *t, const char *s, size_t n)
{
	size_t run = 0;

	text_add(t, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[8];
		size_t len = 2;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		text_add(t, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"': memcpy(esc, "\\\"", 2); break;
		case '\\': memcpy(esc, "\\\\", 2); break;
		case '\b': memcpy(esc, "\\b", 2); break;
		case '\f': memcpy(esc, "\\f", 2); break;
		case '\n': memcpy(esc, "\\n", 2); break;
		case '\r': memcpy(esc, "\\r", 2); break;
		case '\t': memcpy(esc, "\\t", 2); break;
		default:
			len = (size_t)snprintf(esc, sizeof(esc), "\\u%04X", c);
		}
		text_add(t, esc, len);
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
