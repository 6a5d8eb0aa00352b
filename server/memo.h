/*
 * memo: records rendered once and kept by one database connection (so by
 * one worker thread: no locking), within a byte budget. The data is
 * immutable for the life of a connection, so an entry never goes stale;
 * once the budget is spent, new records are simply not kept.
 */
#ifndef ACCORD_MEMO_H
#define ACCORD_MEMO_H

#include <stdbool.h>
#include <stddef.h>

struct memo;

/* Returns a new, empty memo that may hold `budget` bytes, or NULL when
 * out of memory. A budget of 0 keeps nothing. */
struct memo *memo_new(size_t budget);

/* Frees m and everything it holds. Accepts NULL. */
void memo_free(struct memo *m);

/*
 * Returns the text kept under key, with its length in *len, or NULL. The
 * text is borrowed: it lives as long as m.
 */
const char *memo_get(const struct memo *m, const char *key, size_t *len);

/*
 * Keeps a copy of text[0..len) under key (which must not be kept yet),
 * unless that would pass the budget or memory runs out. Returns true when
 * it was kept.
 */
bool memo_put(struct memo *m, const char *key, const char *text, size_t len);

/* Reports the lookups in every memo that found their key and that did
 * not (a memo of budget 0 counts none), and the bytes all of them hold. */
void memo_stats(unsigned long long *hit, unsigned long long *miss,
    unsigned long long *bytes);

#endif
