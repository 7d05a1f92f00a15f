/*
 * faultvfs.h: a test-only SQLite VFS that fails the Nth file operation.
 *
 * "faultvfs" wraps the VFS that was the default when faultvfs_install()
 * ran (unix) and passes every call through, counting the reads, writes,
 * syncs and truncates of every file it opened (the ledger, its -wal and any
 * journal). Armed with faultvfs_arm(n, ops, err), the nth counted operation
 * from then on fails with err (SQLITE_IOERR_xxx or SQLITE_FULL) and sets
 * errno to what the OS would say (EIO, or ENOSPC for SQLITE_FULL), as a
 * dying disk or a full one would; the operations after it succeed again
 * (a transient fault), unless persist is set (the disk stays dead).
 *
 * The library opens its ledger with sqlite3_open_v2() and no VFS name, so
 * faultvfs_install() registers the shim as the default VFS of the process;
 * faultvfs_uninstall() makes the wrapped VFS the default again (files
 * already open through the shim keep working through it, disarmed).
 */
#ifndef BZ_FAULTVFS_H
#define BZ_FAULTVFS_H

#include <stdbool.h>

/* which operations count (a mask) */
enum {
	FAULT_READ = 1,
	FAULT_WRITE = 2,
	FAULT_SYNC = 4,
	FAULT_TRUNCATE = 8,
	FAULT_ANY = 15
};

/* register "faultvfs" as the default VFS (once per process is enough) */
int faultvfs_install(void);
/* make the wrapped VFS the default again */
void faultvfs_uninstall(void);
/* fail the nth operation of ops from now on with err; n = 0 disarms */
void faultvfs_arm(long n, int ops, int err, bool persist);
/* operations of ops counted since the last faultvfs_arm() */
long faultvfs_count(void);
/* whether the armed fault has fired since the last faultvfs_arm() */
bool faultvfs_fired(void);

#endif
