/*
 * delayfs - a FUSE filesystem that mirrors a directory and sleeps before
 * every operation, to stand in for a slow network filesystem (FS-003).
 *
 *   delayfs BACKING MOUNTPOINT [FUSE options, e.g. -f]
 *
 * DELAYFS_US     microseconds to sleep in every call (default 2000)
 * DELAYFS_RENAME2=1  accept rename flags (RENAME_NOREPLACE); by default
 *                they are refused with EINVAL, as on many network
 *                filesystems, so jerry's link()+unlink() fallback is used.
 *
 * No lock or flock handler is registered: the kernel then keeps POSIX, OFD
 * and flock locks locally, which is correct for processes on one machine.
 *
 * Written for jerry's validation suite against the libfuse3 API.
 */
#define FUSE_USE_VERSION 31
#define _GNU_SOURCE
#include <fuse.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static char backing[PATH_MAX];
static long delay_us = 2000;
static int allow_rename_flags;

static void nap(void)
{
	if (delay_us > 0) {
		struct timespec ts = { delay_us / 1000000, (delay_us % 1000000) * 1000 };
		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
	}
}

/* The backing path of a path inside the mount. */
static void real(char *out, const char *path)
{
	snprintf(out, PATH_MAX, "%s%s", backing, path);
}

#define REAL(var, path) char var[PATH_MAX]; real(var, path)
#define SYS(expr) ((expr) < 0 ? -errno : 0)

static void *d_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	(void)conn;
	/* Like a network filesystem: no attribute or name caching. */
	cfg->entry_timeout = 0;
	cfg->attr_timeout = 0;
	cfg->negative_timeout = 0;
	cfg->use_ino = 1;
	cfg->hard_remove = 1; /* no .fuse_hidden files in items/ */
	return NULL;
}

static int d_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	nap();
	if (fi)
		return SYS(fstat((int)fi->fh, st));
	REAL(p, path);
	return SYS(lstat(p, st));
}

static int d_access(const char *path, int mask)
{
	nap();
	REAL(p, path);
	return SYS(access(p, mask));
}

static int d_readlink(const char *path, char *buf, size_t size)
{
	nap();
	REAL(p, path);
	ssize_t n = readlink(p, buf, size - 1);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

static int d_readdir(const char *path, void *buf, fuse_fill_dir_t fill, off_t off,
		     struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	(void)off; (void)fi; (void)flags;
	nap();
	REAL(p, path);
	DIR *d = opendir(p);
	if (!d)
		return -errno;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		struct stat st = { 0 };
		st.st_ino = e->d_ino;
		st.st_mode = (mode_t)DTTOIF(e->d_type);
		if (fill(buf, e->d_name, &st, 0, 0))
			break;
	}
	closedir(d);
	return 0;
}

static int d_mkdir(const char *path, mode_t mode)
{
	nap();
	REAL(p, path);
	return SYS(mkdir(p, mode));
}

static int d_unlink(const char *path)
{
	nap();
	REAL(p, path);
	return SYS(unlink(p));
}

static int d_rmdir(const char *path)
{
	nap();
	REAL(p, path);
	return SYS(rmdir(p));
}

static int d_symlink(const char *target, const char *path)
{
	nap();
	REAL(p, path);
	return SYS(symlink(target, p));
}

static int d_rename(const char *from, const char *to, unsigned int flags)
{
	nap();
	if (flags && !allow_rename_flags)
		return -EINVAL;
	REAL(a, from);
	REAL(b, to);
	return SYS(syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, flags));
}

static int d_link(const char *from, const char *to)
{
	nap();
	REAL(a, from);
	REAL(b, to);
	return SYS(link(a, b));
}

static int d_chmod(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	nap();
	if (fi)
		return SYS(fchmod((int)fi->fh, mode));
	REAL(p, path);
	return SYS(chmod(p, mode));
}

static int d_chown(const char *path, uid_t uid, gid_t gid, struct fuse_file_info *fi)
{
	nap();
	if (fi)
		return SYS(fchown((int)fi->fh, uid, gid));
	REAL(p, path);
	return SYS(lchown(p, uid, gid));
}

static int d_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	nap();
	if (fi)
		return SYS(ftruncate((int)fi->fh, size));
	REAL(p, path);
	return SYS(truncate(p, size));
}

static int d_utimens(const char *path, const struct timespec tv[2], struct fuse_file_info *fi)
{
	nap();
	if (fi)
		return SYS(futimens((int)fi->fh, tv));
	REAL(p, path);
	return SYS(utimensat(AT_FDCWD, p, tv, AT_SYMLINK_NOFOLLOW));
}

static int d_open(const char *path, struct fuse_file_info *fi)
{
	nap();
	REAL(p, path);
	int fd = open(p, fi->flags & ~O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	fi->fh = (uint64_t)fd;
	return 0;
}

static int d_create(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	nap();
	REAL(p, path);
	int fd = open(p, fi->flags, mode);
	if (fd < 0)
		return -errno;
	fi->fh = (uint64_t)fd;
	return 0;
}

static int d_read(const char *path, char *buf, size_t size, off_t off, struct fuse_file_info *fi)
{
	(void)path;
	nap();
	ssize_t n = pread((int)fi->fh, buf, size, off);
	return n < 0 ? -errno : (int)n;
}

static int d_write(const char *path, const char *buf, size_t size, off_t off,
		   struct fuse_file_info *fi)
{
	(void)path;
	nap();
	ssize_t n = pwrite((int)fi->fh, buf, size, off);
	return n < 0 ? -errno : (int)n;
}

static int d_statfs(const char *path, struct statvfs *sv)
{
	nap();
	REAL(p, path);
	return SYS(statvfs(p, sv));
}

static int d_flush(const char *path, struct fuse_file_info *fi)
{
	(void)path;
	nap();
	int fd = dup((int)fi->fh);
	if (fd < 0)
		return -errno;
	return SYS(close(fd));
}

static int d_release(const char *path, struct fuse_file_info *fi)
{
	(void)path;
	close((int)fi->fh);
	return 0;
}

static int d_fsync(const char *path, int datasync, struct fuse_file_info *fi)
{
	(void)path;
	nap();
	return SYS(datasync ? fdatasync((int)fi->fh) : fsync((int)fi->fh));
}

static int d_fsyncdir(const char *path, int datasync, struct fuse_file_info *fi)
{
	(void)datasync; (void)fi;
	nap();
	REAL(p, path);
	int fd = open(p, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return -errno;
	int rc = SYS(fsync(fd));
	close(fd);
	return rc;
}

static const struct fuse_operations ops = {
	.init = d_init,
	.getattr = d_getattr,
	.access = d_access,
	.readlink = d_readlink,
	.readdir = d_readdir,
	.mkdir = d_mkdir,
	.unlink = d_unlink,
	.rmdir = d_rmdir,
	.symlink = d_symlink,
	.rename = d_rename,
	.link = d_link,
	.chmod = d_chmod,
	.chown = d_chown,
	.truncate = d_truncate,
	.utimens = d_utimens,
	.open = d_open,
	.create = d_create,
	.read = d_read,
	.write = d_write,
	.statfs = d_statfs,
	.flush = d_flush,
	.release = d_release,
	.fsync = d_fsync,
	.fsyncdir = d_fsyncdir,
};

int main(int argc, char *argv[])
{
	if (argc < 3) {
		fprintf(stderr, "usage: delayfs BACKING MOUNTPOINT [FUSE options]\n");
		return 2;
	}
	if (!realpath(argv[1], backing)) {
		perror(argv[1]);
		return 2;
	}
	const char *d = getenv("DELAYFS_US");
	if (d && *d)
		delay_us = strtol(d, NULL, 10);
	const char *r2 = getenv("DELAYFS_RENAME2");
	allow_rename_flags = r2 && *r2 == '1';
	/* fuse_main sees: prog MOUNTPOINT [options] */
	argv[1] = argv[0];
	umask(0);
	return fuse_main(argc - 1, argv + 1, &ops, NULL);
}
