/* libFuzzer target: UTF-8 validation, offsets and quote anchoring.
 * Input: text, a 0xFF byte, then a quote. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "span.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *sep = memchr(data, 0xFF, size);
	size_t tlen, qlen, start, end, count;
	char *text, *quote;
	struct span_query q = { 0 };
	struct utf8_pos whole;
	struct span sp;

	if (sep == NULL)
		return 0;
	tlen = (size_t)(sep - data);
	qlen = size - tlen - 1;
	text = malloc(tlen + 1);
	quote = malloc(qlen + 1);
	if (text == NULL || quote == NULL)
		goto free_all;
	memcpy(text, data, tlen);
	text[tlen] = '\0';
	memcpy(quote, sep + 1, qlen);
	quote[qlen] = '\0';
	if (!utf8_validate(text, tlen, NULL) ||
	    !utf8_validate(quote, qlen, NULL))
		goto free_all;
	if (!utf8_measure(text, tlen, &whole))
		abort();
	q.quote = quote;
	if (span_anchor(text, tlen, &q, &start, &end, &count) == SPAN_OK) {
		if (!span_describe(text, tlen, start, end, &sp))
			abort();
		if (sp.end.codepoints > whole.codepoints ||
		    sp.end.utf16 > whole.utf16 || sp.start.bytes > end ||
		    sp.prefix_at > start || sp.suffix_end < end)
			abort();
	}
free_all:
	free(text);
	free(quote);
	return 0;
}
