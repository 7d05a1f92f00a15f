/* fuzz_tabular: the reader of the offices' sheets (src/tabular.c) on any
 * bytes as a file — CSV in UTF-8/GB18030/UTF-16, XLSX, XLS, told by content:
 * every row it gives has its cells as valid UTF-8, lines grow, and it ends
 * with BZ_ITEROVER or an error with a message, never a crash. */
#include "fuzz_common.h"
#include "tabular.h"
#include "internal.h"

/* one ledger for every input: the messages' holder */
static bz_ledger *fz_l;

static void fz_close(void)
{
	bz_ledger_close(fz_l);
	fz_l = NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!fz_l) {
		FZ_OK(bz_ledger_open(&fz_l, ":memory:", BZ_OPEN_CREATE));
		atexit(fz_close); /* nothing left for valgrind and LeakSanitizer at exit */
	}
	bz_ledger *l = fz_l;
	const char *path = fz_file(data, size, ".sheet");
	bz_tab *t = NULL;
	int rc = bz_tab_open(&t, l, path);
	if (rc == BZ_OK) {
		size_t n;
		const char *const *cells;
		long line = 0, last = 0;
		int rows = 0;
		while ((rc = bz_tab_next(t, &n, &cells, &line)) == BZ_OK && rows++ < 100000) {
			FZ_ASSERT(line >= last, "line %ld after %ld", line, last);
			last = line;
			for (size_t i = 0; i < n; i++)
				FZ_ASSERT(cells[i] && bz_utf8_valid(cells[i]), "row at line %ld cell %zu", line, i);
		}
		FZ_ASSERT(rc == BZ_OK || rc == BZ_ITEROVER || rc < 0, "bz_tab_next: %d", rc);
		bz_tab_close(t);
	}
	FZ_ASSERT(rc == BZ_OK || rc == BZ_ITEROVER || *bz_ledger_errmsg(l), "an error without a message");
	unlink(path);
	return 0;
}
