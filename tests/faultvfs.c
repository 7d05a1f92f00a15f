/* faultvfs.c: a test-only SQLite VFS that fails the Nth file operation (faultvfs.h). */
#include "faultvfs.h"

#include <errno.h>
#include <sqlite3.h>
#include <string.h>

typedef struct fault_file {
	sqlite3_file base;
	sqlite3_file *real; /* the wrapped VFS's file, right after this struct */
} fault_file;

static sqlite3_vfs *real_vfs;
static sqlite3_vfs fault_vfs;
static long fault_at, fault_counted;
static int fault_ops, fault_err;
static bool fault_persist, fault_done;

/* whether this operation (of kind op) fails */
static bool fault_hit(int op)
{
	if (!fault_at || !(fault_ops & op))
		return false;
	if (fault_done)
		return fault_persist;
	if (++fault_counted < fault_at)
		return false;
	fault_done = true;
	return true;
}

static int fault_fail(void)
{
	errno = fault_err == SQLITE_FULL ? ENOSPC : EIO;
	return fault_err;
}

#define REAL(f) (((fault_file *)(f))->real)

static int f_close(sqlite3_file *f)
{
	return REAL(f)->pMethods->xClose(REAL(f));
}

static int f_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
	if (fault_hit(FAULT_READ))
		return fault_err == SQLITE_FULL ? (errno = EIO, SQLITE_IOERR_READ) : fault_fail();
	return REAL(f)->pMethods->xRead(REAL(f), buf, n, off);
}

static int f_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
	if (fault_hit(FAULT_WRITE))
		return fault_fail();
	return REAL(f)->pMethods->xWrite(REAL(f), buf, n, off);
}

static int f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	if (fault_hit(FAULT_TRUNCATE))
		return fault_err == SQLITE_FULL ? (errno = EIO, SQLITE_IOERR_TRUNCATE) : fault_fail();
	return REAL(f)->pMethods->xTruncate(REAL(f), size);
}

static int f_sync(sqlite3_file *f, int flags)
{
	if (fault_hit(FAULT_SYNC))
		return fault_err == SQLITE_FULL ? (errno = EIO, SQLITE_IOERR_FSYNC) : fault_fail();
	return REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int f_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return REAL(f)->pMethods->xFileSize(REAL(f), size);
}

static int f_lock(sqlite3_file *f, int lock)
{
	return REAL(f)->pMethods->xLock(REAL(f), lock);
}

static int f_unlock(sqlite3_file *f, int lock)
{
	return REAL(f)->pMethods->xUnlock(REAL(f), lock);
}

static int f_check_lock(sqlite3_file *f, int *out)
{
	return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int f_control(sqlite3_file *f, int op, void *arg)
{
	return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int f_sector(sqlite3_file *f)
{
	return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int f_device(sqlite3_file *f)
{
	return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

static int f_shm_map(sqlite3_file *f, int page, int size, int extend, void volatile **out)
{
	return REAL(f)->pMethods->xShmMap(REAL(f), page, size, extend, out);
}

static int f_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
	return REAL(f)->pMethods->xShmLock(REAL(f), offset, n, flags);
}

static void f_shm_barrier(sqlite3_file *f)
{
	REAL(f)->pMethods->xShmBarrier(REAL(f));
}

static int f_shm_unmap(sqlite3_file *f, int del)
{
	return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}

static int f_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **out)
{
	return REAL(f)->pMethods->xFetch(REAL(f), off, n, out);
}

static int f_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

static const sqlite3_io_methods fault_io = {
	3, f_close, f_read, f_write, f_truncate, f_sync, f_size, f_lock, f_unlock, f_check_lock, f_control,
	f_sector, f_device, f_shm_map, f_shm_lock, f_shm_barrier, f_shm_unmap, f_fetch, f_unfetch,
};

static int v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out_flags)
{
	(void)vfs;
	fault_file *ff = (fault_file *)f;
	ff->real = (sqlite3_file *)&ff[1];
	ff->base.pMethods = NULL;
	int rc = real_vfs->xOpen(real_vfs, name, ff->real, flags, out_flags);
	if (ff->real->pMethods) /* SQLite calls xClose when pMethods is set, even after a failed open */
		ff->base.pMethods = &fault_io;
	return rc;
}

static int v_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
	(void)vfs;
	return real_vfs->xDelete(real_vfs, name, sync_dir);
}

static int v_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	(void)vfs;
	return real_vfs->xAccess(real_vfs, name, flags, out);
}

static int v_full(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
	(void)vfs;
	return real_vfs->xFullPathname(real_vfs, name, n, out);
}

static void *v_dlopen(sqlite3_vfs *vfs, const char *name)
{
	(void)vfs;
	return real_vfs->xDlOpen(real_vfs, name);
}

static void v_dlerror(sqlite3_vfs *vfs, int n, char *msg)
{
	(void)vfs;
	real_vfs->xDlError(real_vfs, n, msg);
}

static void (*v_dlsym(sqlite3_vfs *vfs, void *h, const char *sym))(void)
{
	(void)vfs;
	return real_vfs->xDlSym(real_vfs, h, sym);
}

static void v_dlclose(sqlite3_vfs *vfs, void *h)
{
	(void)vfs;
	real_vfs->xDlClose(real_vfs, h);
}

static int v_random(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return real_vfs->xRandomness(real_vfs, n, out);
}

static int v_sleep(sqlite3_vfs *vfs, int us)
{
	(void)vfs;
	return real_vfs->xSleep(real_vfs, us);
}

static int v_time(sqlite3_vfs *vfs, double *out)
{
	(void)vfs;
	return real_vfs->xCurrentTime(real_vfs, out);
}

static int v_last_error(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return real_vfs->xGetLastError(real_vfs, n, out);
}

static int v_time64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
	(void)vfs;
	return real_vfs->xCurrentTimeInt64(real_vfs, out);
}

int faultvfs_install(void)
{
	if (!real_vfs) {
		real_vfs = sqlite3_vfs_find(NULL);
		if (!real_vfs)
			return SQLITE_ERROR;
		fault_vfs = (sqlite3_vfs){
			.iVersion = 2,
			.szOsFile = (int)sizeof(fault_file) + real_vfs->szOsFile,
			.mxPathname = real_vfs->mxPathname,
			.zName = "faultvfs",
			.xOpen = v_open,
			.xDelete = v_delete,
			.xAccess = v_access,
			.xFullPathname = v_full,
			.xDlOpen = v_dlopen,
			.xDlError = v_dlerror,
			.xDlSym = v_dlsym,
			.xDlClose = v_dlclose,
			.xRandomness = v_random,
			.xSleep = v_sleep,
			.xCurrentTime = v_time,
			.xGetLastError = v_last_error,
			.xCurrentTimeInt64 = v_time64,
		};
	}
	return sqlite3_vfs_register(&fault_vfs, 1);
}

void faultvfs_uninstall(void)
{
	faultvfs_arm(0, 0, 0, false);
	if (real_vfs)
		sqlite3_vfs_register(real_vfs, 1);
}

void faultvfs_arm(long n, int ops, int err, bool persist)
{
	fault_at = n;
	fault_ops = ops;
	fault_err = err;
	fault_persist = persist;
	fault_counted = 0;
	fault_done = false;
}

long faultvfs_count(void)
{
	return fault_counted;
}

bool faultvfs_fired(void)
{
	return fault_done;
}
