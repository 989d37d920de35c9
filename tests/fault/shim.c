/*
 * A fault-injection shim for presence-fcgi, loaded with LD_PRELOAD.
 *
 * It counts, from the first accepted connection on (so that opening the
 * database is not counted), the calls that write to or sync a regular file
 * (write, pwrite, pwrite64, writev, pwritev, fsync, fdatasync, msync, on
 * descriptors above 2) and the memory allocations (malloc, calloc,
 * realloc) of everything but libfcgi, and makes one of them fail:
 *
 *   FAULT_IO_NTH=N        the N-th write or sync fails (0: count only)
 *   FAULT_IO_ERRNO=E      with EIO (default) or ENOSPC
 *   FAULT_IO_PERSIST=1    and every one after it too
 *   FAULT_MALLOC_NTH=N    the N-th allocation returns NULL (ENOMEM)
 *   FAULT_MALLOC_LIBFCGI=1  count libfcgi's allocations too (libfcgi
 *                         asserts that malloc never fails)
 *   FAULT_ARM_AFTER=K     start counting at the (K+1)-th connection instead
 *   FAULT_STOP_AT_WAKE=1  the first wait (epoll_pwait, or ppoll with its
 *                         first descriptor readable) that returns something
 *                         sends the process SIGTERM and holds its thread
 *                         200 ms: another thread takes the signal while this
 *                         one is about to accept; logs "stop at wake"
 *   FAULT_LOG=PATH        where to append what happened: "fired io N OP
 *                         request R" or "fired malloc N request R in OBJECT
 *                         (CALL in FUNCTION)" (the library and exported
 *                         function that asked, and whether by malloc,
 *                         calloc, realloc or strdup) when a call is made to
 *                         fail, and at
 *                         exit "exit io N malloc N live N requests N" (live:
 *                         allocations made while counting, not yet freed)
 *
 * The shim is plain C without the project's headers: it must not depend
 * on what it tests.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define TRACK_SLOTS	(1u << 18)	/* pointers tracked for the leak count */
#define TOMB		((void *)1)

static ssize_t	(*real_write)(int, const void *, size_t);
static ssize_t	(*real_pwrite)(int, const void *, size_t, off_t);
static ssize_t	(*real_pwrite64)(int, const void *, size_t, off_t);
static ssize_t	(*real_writev)(int, const struct iovec *, int);
static ssize_t	(*real_pwritev)(int, const struct iovec *, int, off_t);
static int	(*real_fsync)(int);
static int	(*real_fdatasync)(int);
static int	(*real_msync)(void *, size_t, int);
static int	(*real_accept)(int, struct sockaddr *, socklen_t *);
static int	(*real_accept4)(int, struct sockaddr *, socklen_t *, int);
static int	(*real_ppoll)(struct pollfd *, nfds_t, const struct timespec *,
		    const sigset_t *);
static int	(*real_epoll_pwait)(int, struct epoll_event *, int, int,
		    const sigset_t *);
static void	*(*real_malloc)(size_t);
static void	*(*real_calloc)(size_t, size_t);
static void	*(*real_realloc)(void *, size_t);
static void	(*real_free)(void *);

/* Memory handed out while dlsym itself allocates, before malloc is known. */
static char		 boot[8192] __attribute__((aligned(16)));
static size_t		 boot_used;
static int		 resolving;

static int		 configured;
static int		 armed;
static unsigned long	 io_nth, malloc_nth, io_count, malloc_count;
static unsigned long	 requests, arm_after;
static int		 io_errno = EIO, io_persist, malloc_libfcgi;
static int		 stop_at_wake, stop_sent;
static const char	*log_path;
static uintptr_t	 fcgi_lo, fcgi_hi;	/* libfcgi's code, once armed */
static volatile int	 lock;
static void		*tracked[TRACK_SLOTS];
static unsigned long	 live;

/* Take and release the shim's one lock (the responder may be threaded). */
static void
shim_lock(void)
{
	while (__atomic_test_and_set(&lock, __ATOMIC_ACQUIRE))
		continue;
}

static void
shim_unlock(void)
{
	__atomic_clear(&lock, __ATOMIC_RELEASE);
}

/* Find the real functions behind ours. */
static void
resolve(void)
{
	if (real_free != NULL || resolving)
		return;
	resolving = 1;
	real_malloc = dlsym(RTLD_NEXT, "malloc");
	real_calloc = dlsym(RTLD_NEXT, "calloc");
	real_realloc = dlsym(RTLD_NEXT, "realloc");
	real_write = dlsym(RTLD_NEXT, "write");
	real_pwrite = dlsym(RTLD_NEXT, "pwrite");
	real_pwrite64 = dlsym(RTLD_NEXT, "pwrite64");
	real_writev = dlsym(RTLD_NEXT, "writev");
	real_pwritev = dlsym(RTLD_NEXT, "pwritev");
	real_fsync = dlsym(RTLD_NEXT, "fsync");
	real_fdatasync = dlsym(RTLD_NEXT, "fdatasync");
	real_msync = dlsym(RTLD_NEXT, "msync");
	real_accept = dlsym(RTLD_NEXT, "accept");
	real_accept4 = dlsym(RTLD_NEXT, "accept4");
	real_ppoll = dlsym(RTLD_NEXT, "ppoll");
	real_epoll_pwait = dlsym(RTLD_NEXT, "epoll_pwait");
	real_free = dlsym(RTLD_NEXT, "free");
	resolving = 0;
}

/* An unsigned number from the environment, or 0. */
static unsigned long
env_number(const char *name)
{
	const char	*v = getenv(name);

	return v != NULL ? strtoul(v, NULL, 10) : 0;
}

/* Read the settings once. */
static void
configure(void)
{
	const char	*e;

	if (configured)
		return;
	configured = 1;
	io_nth = env_number("FAULT_IO_NTH");
	malloc_nth = env_number("FAULT_MALLOC_NTH");
	io_persist = env_number("FAULT_IO_PERSIST") != 0;
	malloc_libfcgi = env_number("FAULT_MALLOC_LIBFCGI") != 0;
	arm_after = env_number("FAULT_ARM_AFTER");
	stop_at_wake = env_number("FAULT_STOP_AT_WAKE") != 0;
	if ((e = getenv("FAULT_IO_ERRNO")) != NULL && strcmp(e, "ENOSPC") == 0)
		io_errno = ENOSPC;
	log_path = getenv("FAULT_LOG");
}

/* Append one formatted line to FAULT_LOG with plain system calls. */
static void __attribute__((format(printf, 1, 2)))
shim_log(const char *fmt, ...)
{
	char	 line[256];
	va_list	 ap;
	int	 fd, n;

	if (log_path == NULL)
		return;
	va_start(ap, fmt);
	n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n <= 0 || (size_t)n >= sizeof line)
		return;
	fd = (int)syscall(SYS_open, log_path, O_WRONLY | O_APPEND | O_CREAT |
	    O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	syscall(SYS_write, fd, line, (size_t)n);
	syscall(SYS_close, fd);
}

/* Note libfcgi's executable segment, so its allocations can be left alone. */
static int
find_libfcgi(struct dl_phdr_info *info, size_t size, void *arg)
{
	int	 i;

	(void)size;
	(void)arg;
	if (info->dlpi_name == NULL || strstr(info->dlpi_name, "libfcgi.so") == NULL)
		return 0;
	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr)	*ph = &info->dlpi_phdr[i];

		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X)) {
			fcgi_lo = info->dlpi_addr + ph->p_vaddr;
			fcgi_hi = fcgi_lo + ph->p_memsz;
		}
	}
	return 1;
}

/* A connection was accepted: start counting at the first. */
static void
accepted(void)
{
	configure();
	if (!armed && !malloc_libfcgi)
		dl_iterate_phdr(find_libfcgi, NULL);
	if (__atomic_add_fetch(&requests, 1, __ATOMIC_RELAXED) > arm_after)
		armed = 1;
}

int
accept(int fd, struct sockaddr *sa, socklen_t *len)
{
	int	 rc;

	resolve();
	if ((rc = real_accept(fd, sa, len)) >= 0)
		accepted();
	return rc;
}

int
accept4(int fd, struct sockaddr *sa, socklen_t *len, int flags)
{
	int	 rc;

	resolve();
	if ((rc = real_accept4(fd, sa, len, flags)) >= 0)
		accepted();
	return rc;
}

/* A wait returned something: the first time, stop while this thread holds. */
static void
woke(void)
{
	const struct timespec	 hold = { 0, 200 * 1000 * 1000 };

	if (!stop_at_wake || __atomic_test_and_set(&stop_sent, __ATOMIC_ACQ_REL))
		return;
	shim_log("stop at wake\n");
	kill(getpid(), SIGTERM);
	nanosleep(&hold, NULL);
}

int
ppoll(struct pollfd *fds, nfds_t n, const struct timespec *timeout,
    const sigset_t *mask)
{
	int	 rc;

	resolve();
	configure();
	if ((rc = real_ppoll(fds, n, timeout, mask)) > 0 && n > 0 &&
	    (fds[0].revents & POLLIN))
		woke();
	return rc;
}

int
epoll_pwait(int epfd, struct epoll_event *events, int max, int timeout,
    const sigset_t *mask)
{
	int	 rc;

	resolve();
	configure();
	if ((rc = real_epoll_pwait(epfd, events, max, timeout, mask)) > 0)
		woke();
	return rc;
}

/* Whether this write or sync on fd (-1: a mapping) is made to fail. */
static int
io_fails(int fd, const char *op)
{
	struct stat	 sb;
	unsigned long	 n;
	int		 saved = errno;

	if (!armed || fd == 0 || fd == 1 || fd == 2)
		return 0;
	if (fd >= 0 && (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode))) {
		errno = saved;
		return 0;
	}
	errno = saved;
	n = __atomic_add_fetch(&io_count, 1, __ATOMIC_RELAXED);
	if (io_nth == 0 || n < io_nth || (n > io_nth && !io_persist))
		return 0;
	shim_log("fired io %lu %s request %lu\n", n, op, requests);
	errno = io_errno;
	return 1;
}

ssize_t
write(int fd, const void *p, size_t n)
{
	resolve();
	return io_fails(fd, "write") ? -1 : real_write(fd, p, n);
}

ssize_t
pwrite(int fd, const void *p, size_t n, off_t off)
{
	resolve();
	return io_fails(fd, "pwrite") ? -1 : real_pwrite(fd, p, n, off);
}

ssize_t
pwrite64(int fd, const void *p, size_t n, off_t off)
{
	resolve();
	return io_fails(fd, "pwrite") ? -1 : real_pwrite64(fd, p, n, off);
}

ssize_t
writev(int fd, const struct iovec *iov, int n)
{
	resolve();
	return io_fails(fd, "writev") ? -1 : real_writev(fd, iov, n);
}

ssize_t
pwritev(int fd, const struct iovec *iov, int n, off_t off)
{
	resolve();
	return io_fails(fd, "pwritev") ? -1 : real_pwritev(fd, iov, n, off);
}

int
fsync(int fd)
{
	resolve();
	return io_fails(fd, "fsync") ? -1 : real_fsync(fd);
}

int
fdatasync(int fd)
{
	resolve();
	return io_fails(fd, "fdatasync") ? -1 : real_fdatasync(fd);
}

int
msync(void *addr, size_t len, int flags)
{
	resolve();
	return io_fails(-1, "msync") ? -1 : real_msync(addr, len, flags);
}

/* Remember an allocation made while counting. */
static void
track_add(void *p)
{
	uintptr_t	 h = ((uintptr_t)p >> 4) * 2654435761u;
	size_t		 i, tries;

	for (i = h & (TRACK_SLOTS - 1), tries = 0; tries < TRACK_SLOTS;
	    i = (i + 1) & (TRACK_SLOTS - 1), tries++) {
		if (tracked[i] == NULL || tracked[i] == TOMB) {
			tracked[i] = p;
			live++;
			return;
		}
	}
}

/* Forget an allocation that is freed; nothing when it was not tracked. */
static void
track_remove(void *p)
{
	uintptr_t	 h = ((uintptr_t)p >> 4) * 2654435761u;
	size_t		 i, tries;

	for (i = h & (TRACK_SLOTS - 1), tries = 0; tries < TRACK_SLOTS &&
	    tracked[i] != NULL; i = (i + 1) & (TRACK_SLOTS - 1), tries++) {
		if (tracked[i] == p) {
			tracked[i] = TOMB;
			live--;
			return;
		}
	}
}

/*
 * Whether this allocation (what: malloc, calloc, realloc or strdup), called
 * from caller, is made to fail.
 */
static int
malloc_fails(void *caller, const char *what)
{
	Dl_info		 info;
	const char	*object;
	unsigned long	 n;

	if (!armed)
		return 0;
	if (fcgi_hi != 0 && (uintptr_t)caller >= fcgi_lo &&
	    (uintptr_t)caller < fcgi_hi)
		return 0;
	n = __atomic_add_fetch(&malloc_count, 1, __ATOMIC_RELAXED);
	if (malloc_nth == 0 || n != malloc_nth)
		return 0;
	if (dladdr(caller, &info) == 0 || info.dli_fname == NULL)
		info.dli_fname = "?";
	object = strrchr(info.dli_fname, '/');
	shim_log("fired malloc %lu request %lu in %s (%s in %s)\n", n,
	    requests, object != NULL ? object + 1 : info.dli_fname, what,
	    info.dli_sname != NULL ? info.dli_sname : "?");
	return 1;
}

/* Memory from the boot buffer, for dlsym's own allocations. */
static void *
boot_alloc(size_t n)
{
	void	*p;

	n = (n + 15) & ~(size_t)15;
	if (n > sizeof boot - boot_used)
		return NULL;
	p = boot + boot_used;
	boot_used += n;
	return p;
}

static int
is_boot(const void *p)
{
	return (const char *)p >= boot && (const char *)p < boot + sizeof boot;
}

void *
malloc(size_t n)
{
	void	*p;

	if (real_malloc == NULL) {
		if (resolving)
			return boot_alloc(n);
		resolve();
	}
	if (malloc_fails(__builtin_return_address(0), "malloc")) {
		errno = ENOMEM;
		return NULL;
	}
	p = real_malloc(n);
	if (p != NULL && armed) {
		shim_lock();
		track_add(p);
		shim_unlock();
	}
	return p;
}

void *
calloc(size_t n, size_t size)
{
	void	*p;

	if (real_calloc == NULL) {
		if (resolving)
			return boot_alloc(n * size);	/* the buffer is zeroed */
		resolve();
	}
	if (malloc_fails(__builtin_return_address(0), "calloc")) {
		errno = ENOMEM;
		return NULL;
	}
	p = real_calloc(n, size);
	if (p != NULL && armed) {
		shim_lock();
		track_add(p);
		shim_unlock();
	}
	return p;
}

void *
realloc(void *old, size_t n)
{
	void	*p;

	if (real_realloc == NULL)
		resolve();
	if (is_boot(old)) {
		size_t	 room = (size_t)(boot + sizeof boot - (char *)old);

		if ((p = malloc(n)) != NULL)
			memcpy(p, old, n < room ? n : room);
		return p;
	}
	if (malloc_fails(__builtin_return_address(0), "realloc")) {
		errno = ENOMEM;
		return NULL;
	}
	p = real_realloc(old, n);
	if (p != NULL && armed) {
		shim_lock();
		if (old != NULL)
			track_remove(old);
		track_add(p);
		shim_unlock();
	}
	return p;
}

/*
 * strdup and strndup are counted where they are called, so that the log
 * names the library that asked (glibc's own call malloc from libc).
 */
static char *
dup_bytes(const char *s, size_t n, void *caller)
{
	char	*p;

	if (real_malloc == NULL)
		resolve();
	if (malloc_fails(caller, "strdup")) {
		errno = ENOMEM;
		return NULL;
	}
	if ((p = real_malloc(n + 1)) == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	if (armed) {
		shim_lock();
		track_add(p);
		shim_unlock();
	}
	return p;
}

char *
strdup(const char *s)
{
	return dup_bytes(s, strlen(s), __builtin_return_address(0));
}

char *
strndup(const char *s, size_t n)
{
	return dup_bytes(s, strnlen(s, n), __builtin_return_address(0));
}

void
free(void *p)
{
	if (p == NULL || is_boot(p))
		return;
	if (real_free == NULL)
		resolve();
	if (armed) {
		shim_lock();
		track_remove(p);
		shim_unlock();
	}
	real_free(p);
}

/* Say what was counted when the process exits normally. */
static void __attribute__((destructor))
report(void)
{
	configure();
	shim_log("exit io %lu malloc %lu live %lu requests %lu\n", io_count,
	    malloc_count, live, requests);
}
