/*
 * io_impl.h - private to the two halves of the system-call layer: io.c
 * (the table, files and directories) and io_run.c (running programs).
 * Nothing else includes it; everyone else goes through io.h.
 */
#ifndef JR_IO_IMPL_H
#define JR_IO_IMPL_H

#include "io.h"

#include <errno.h>

/* The table itself (io.c); jr_io_syscalls() hands it to tests. */
extern jr_syscalls jr_io_sys;

/*
 * Every call is retried on EINTR - a signal (our own lock-wait alarm, or a
 * network filesystem's) must never turn into a failed write - and an
 * injected fault is taken exactly where the real call would fail, inside
 * the retry loop, so an injected EINTR is retried too.
 */
#define RETRY(name, rc, call)                                 \
	do {                                                  \
		for (;;) {                                    \
			if (jr_fault_hit(name)) {             \
				if (errno == EINTR)           \
					continue;             \
				return -1;                    \
			}                                     \
			(rc) = (call);                        \
			if ((rc) < 0 && errno == EINTR)       \
				continue;                     \
			break;                                \
		}                                             \
	} while (0)

#endif
