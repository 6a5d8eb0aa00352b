#include "id.h"

bool
id_valid(const char *s, size_t len)
{
	if (len == 0 || len > ID_MAX || s[0] == '-' || s[len - 1] == '-')
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '-') {
			/* Not the last byte, which is no hyphen. */
			if (s[i + 1] == '-')
				return false;
		} else if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9')) {
			return false;
		}
	}
	return true;
}
