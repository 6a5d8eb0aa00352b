/* libFuzzer target: the annotation loader on any annotations file, over a
 * fixed one-article corpus. Any input must load or fail cleanly. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];

static void
write_file(const char *name, const void *bytes, size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (f == NULL || fwrite(bytes, 1, len, f) != len)
		abort();
	fclose(f);
}

static void
setup(void)
{
	static const char article[] = "Guo Shengkun met Jeh Johnson in "
	    "Washington.\n\nGuo said the talks were \xE2\x80\x9C" "candid"
	    "\xE2\x80\x9D.";
	static const char sources[] = "{\"sources\": [{\"id\": \"art\","
	    " \"file\": \"corpus/a.txt\", \"sha256\": \"38856d732b664b659beda834ee1b5b09"
	    "c291a0eaee0981300ce79320db2fed75\"}]}";
	char path[256];

	snprintf(dir, sizeof(dir), "/tmp/accord-fuzz-%d", (int)getpid());
	mkdir(dir, 0700);
	snprintf(path, sizeof(path), "%s/corpus", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/annotations", dir);
	mkdir(path, 0700);
	write_file("corpus/a.txt", article, sizeof(article) - 1);
	write_file("sources.json", sources, sizeof(sources) - 1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char db[128], err[1024];

	if (dir[0] == '\0')
		setup();
	write_file("annotations/fuzz.json", data, size);
	snprintf(db, sizeof(db), "%s/out.db", dir);
	unlink(db);
	if (load_run(dir, db, err, sizeof(err)) != 0 && err[0] == '\0')
		abort();	/* a failure always says why */
	return 0;
}
