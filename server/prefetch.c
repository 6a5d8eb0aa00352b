#include "prefetch.h"

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One file read ahead. */
struct ahead {
	struct input_file f;	/* f.path NULL once taken */
	struct input_problem p;
};

/* Who owns what: everything but `joined` is the thread's until it is
 * joined, then the loader's. */
struct prefetch {
	char *dir;
	struct ahead *files;
	size_t n;
	pthread_t thread;
	bool joined;
};

/* Whether name is an annotation file's: "*.json", not hidden. */
static bool
wanted(const char *name)
{
	size_t len = strlen(name);

	return name[0] != '.' && len >= 6 && strcmp(name + len - 5,
	    ".json") == 0;
}

static void *
run(void *arg)
{
	struct prefetch *pf = arg;
	struct dirent **entries;
	int n = scandir(pf->dir, &entries, NULL, alphasort);

	if (n < 0)
		return NULL;	/* the loader says why when it lists it */
	pf->files = calloc((size_t)n + 1, sizeof(*pf->files));
	for (int i = 0; i < n; i++) {
		struct ahead *a = &pf->files[pf->n];

		if (pf->files != NULL && wanted(entries[i]->d_name) &&
		    asprintf(&a->f.path, "%s/%s", pf->dir,
		    entries[i]->d_name) >= 0) {
			input_parse(&a->f, &a->p);
			pf->n++;
		}
		free(entries[i]);
	}
	free(entries);
	return NULL;
}

struct prefetch *
prefetch_start(const char *dir)
{
	struct prefetch *pf = calloc(1, sizeof(*pf));

	if (pf == NULL || (pf->dir = strdup(dir)) == NULL ||
	    pthread_create(&pf->thread, NULL, run, pf) != 0) {
		if (pf != NULL)
			free(pf->dir);
		free(pf);
		return NULL;
	}
	return pf;
}

/* Waits for pf's thread, once. */
static void
join(struct prefetch *pf)
{
	if (!pf->joined)
		pthread_join(pf->thread, NULL);
	pf->joined = true;
}

bool
prefetch_take(struct prefetch *pf, struct input_file *f,
    struct input_problem *p)
{
	if (pf == NULL)
		return false;
	join(pf);
	for (size_t i = 0; i < pf->n; i++) {
		struct ahead *a = &pf->files[i];

		if (a->f.path == NULL || strcmp(a->f.path, f->path) != 0)
			continue;
		f->raw = a->f.raw;
		f->root = a->f.root;
		*p = a->p;
		free(a->f.path);
		a->f = (struct input_file){ 0 };
		return true;
	}
	return false;
}

void
prefetch_end(struct prefetch *pf)
{
	if (pf == NULL)
		return;
	join(pf);
	for (size_t i = 0; i < pf->n; i++)
		input_file_free(&pf->files[i].f);
	free(pf->files);
	free(pf->dir);
	free(pf);
}
