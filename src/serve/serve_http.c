/*
 * serve_http.c - the HTTP side of `jerry serve` (serve.h): Debian's
 * libmicrohttpd parses HTTP and runs each connection in its own thread;
 * this file listens, checks every request and answers the page, the
 * events and - through serve_api.c - the API.
 *
 * Safety (doc/adr/0022-serve.md), each with a test in t0260-serve.sh:
 *  - it listens on 127.0.0.1 and [::1] only, unless --listen names an
 *    address, which it warns about;
 *  - a request whose Host is not an address it serves is refused (a page
 *    from elsewhere reaching it through DNS rebinding); on a wildcard
 *    address (0.0.0.0, ::) that is any Host but an IP address, localhost
 *    or this machine's name;
 *  - a change (POST) must carry the run's token, printed in the URL, in
 *    the X-Jerry-Token header, must be JSON, and is refused when its
 *    Origin is another site;
 *  - no CORS header is ever sent, OPTIONS is not allowed, and every
 *    response carries a content security policy.
 */
#include "serve.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../util/strbuf.h"

extern char **environ;

#define BODY_MAX (256 * 1024)     /* the largest request body taken         */
#define SSE_TICK_MS 200           /* how often the events ask for the stamp  */
#define SSE_PING_MS 10000         /* a comment this often finds a gone peer  */
#define HOSTS_MAX 8

static const char csp[] =
	"default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
	"img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

struct server {
	jerry_open_opts opts;          /* each request opens the store with these */
	char token[33];
	char hosts[HOSTS_MAX][80];     /* the Host values it answers: "127.0.0.1:8237" */
	size_t nhosts;
	int wildcard;                  /* --listen 0.0.0.0 or ::: every address here */
	unsigned port;
	char name[256];                /* this machine's name (gethostname), or "" */
	atomic_int stopping;
};

/* One request's state across libmicrohttpd's calls: its body so far. */
struct request {
	struct jr_sb body;
	int too_big;
};

/* ---- responses ------------------------------------------------------------ */

static enum MHD_Result send_reply(struct MHD_Connection *c, unsigned status, const char *type,
				  struct MHD_Response *r)
{
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "Content-Security-Policy", csp);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "Cache-Control", "no-store");
	enum MHD_Result ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* Answer text that is malloc'd (and taken over here); NULL text is out of memory. */
static enum MHD_Result send_text(struct MHD_Connection *c, unsigned status, const char *type,
				 char *text)
{
	if (!text) {
		static const char oom[] = "{\"error\":{\"code\":\"out_of_memory\",\"exit\":1,"
					  "\"message\":\"out of memory\"}}";
		return send_reply(c, 500, "application/json", MHD_create_response_from_buffer(
			sizeof(oom) - 1, (void *)oom, MHD_RESPMEM_PERSISTENT));
	}
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), text,
								 MHD_RESPMEM_MUST_FREE);
	if (!r)
		free(text);
	return send_reply(c, status, type, r);
}

/* A refusal of the server's own, in the shape of the library's errors. */
static enum MHD_Result refuse(struct MHD_Connection *c, unsigned status, int code,
			      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static enum MHD_Result refuse(struct MHD_Connection *c, unsigned status, int code,
			      const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *body = serve_vrefusal(code, fmt, ap);
	va_end(ap);
	return send_text(c, status, "application/json", body);
}

/* ---- the checks ---------------------------------------------------------- */

/*
 * On a wildcard address, a Host naming this server's port with an IP
 * address (v4, or v6 in brackets), localhost or this machine's name: a
 * page that reached it through DNS rebinding names its own domain, which
 * none of these is.
 */
static int wildcard_host(const struct server *srv, const char *host)
{
	char name[256];
	const char *src = host, *colon;
	size_t n;
	int v6 = host[0] == '[';
	if (v6) {
		const char *close = strchr(host, ']');
		if (!close || close[1] != ':')
			return 0;
		src = host + 1;
		n = (size_t)(close - src);
		colon = close + 1;
	} else {
		if (!(colon = strrchr(host, ':')))
			return 0;
		n = (size_t)(colon - host);
	}
	if (n == 0 || n >= sizeof(name) || strspn(colon + 1, "0123456789") != strlen(colon + 1) ||
	    strlen(colon + 1) > 5 || strtoul(colon + 1, NULL, 10) != srv->port)
		return 0;
	memcpy(name, src, n);
	name[n] = '\0';
	struct in6_addr a6;
	struct in_addr a4;
	if (v6)
		return inet_pton(AF_INET6, name, &a6) == 1;
	return inet_pton(AF_INET, name, &a4) == 1 || strcasecmp(name, "localhost") == 0 ||
	       (srv->name[0] && strcasecmp(name, srv->name) == 0);
}

static int host_allowed(const struct server *srv, const char *host)
{
	for (size_t i = 0; host && i < srv->nhosts; i++)
		if (strcmp(host, srv->hosts[i]) == 0)
			return 1;
	return host && srv->wildcard && wildcard_host(srv, host);
}

/* A change from a page of another site: its Origin is not this server. */
static int origin_foreign(struct MHD_Connection *c, const char *host)
{
	const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
	const char *site = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Sec-Fetch-Site");
	if (site && strcmp(site, "same-origin") != 0 && strcmp(site, "none") != 0)
		return 1;
	if (!origin)
		return 0;     /* not a browser's request: the token decides */
	return strncmp(origin, "http://", 7) != 0 || strcmp(origin + 7, host) != 0;
}

/* The token, compared in constant time. */
static int token_ok(const struct server *srv, const char *given)
{
	size_t n = strlen(srv->token);
	unsigned diff = 0;
	if (!given || strlen(given) != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		diff |= (unsigned)(given[i] ^ srv->token[i]);
	return diff == 0;
}

/* ---- the page ------------------------------------------------------------ */

static const char *asset_type(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (dot && strcmp(dot, ".js") == 0)
		return "text/javascript; charset=utf-8";
	if (dot && strcmp(dot, ".css") == 0)
		return "text/css; charset=utf-8";
	if (dot && strcmp(dot, ".svg") == 0)
		return "image/svg+xml";
	return "text/html; charset=utf-8";
}

static enum MHD_Result send_asset(struct MHD_Connection *c, const char *url)
{
	const char *name = strcmp(url, "/") == 0 ? "index.html" : url + 1;
	for (size_t i = 0; i < serve_nassets; i++)
		if (strcmp(serve_assets[i].name, name) == 0)
			return send_reply(c, 200, asset_type(name), MHD_create_response_from_buffer(
				serve_assets[i].len, (void *)serve_assets[i].data,
				MHD_RESPMEM_PERSISTENT));
	return refuse(c, 404, JERRY_ENOTFOUND, "no such page: '%s'", url);
}

/* ---- server-sent events: the store's stamp, whenever it changes ---------- */

struct events {
	struct server *srv;
	jerry_store *store;
	char stamp[JERRY_STAMP_MAX];
	int started;
};

static void nap(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static ssize_t events_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct events *ev = cls;
	(void)pos;
	for (int waited = 0;; waited += SSE_TICK_MS) {
		char stamp[JERRY_STAMP_MAX];
		jerry_error err;
		int n;
		if (atomic_load(&ev->srv->stopping))
			return MHD_CONTENT_READER_END_OF_STREAM;
		if (jerry_store_stamp(stamp, sizeof(stamp), ev->store, &err))
			return MHD_CONTENT_READER_END_WITH_ERROR;
		if (!ev->started || strcmp(stamp, ev->stamp) != 0) {
			/* retry: a page that lost the server tries again after a second */
			n = snprintf(buf, max, "%sevent: change\ndata: %s\n\n",
				     ev->started ? "" : "retry: 1000\n", stamp);
			if (n < 0 || (size_t)n >= max)
				return MHD_CONTENT_READER_END_WITH_ERROR;
			memcpy(ev->stamp, stamp, sizeof(stamp));
			ev->started = 1;
			return n;
		}
		if (waited >= SSE_PING_MS)
			return snprintf(buf, max, ": ping\n\n");
		nap(SSE_TICK_MS);
	}
}

static void events_free(void *cls)
{
	struct events *ev = cls;
	jerry_store_free(ev->store);
	free(ev);
}

static enum MHD_Result send_events(struct MHD_Connection *c, struct server *srv)
{
	jerry_error err;
	struct events *ev = calloc(1, sizeof(*ev));
	if (!ev)
		return send_text(c, 500, "application/json", NULL);
	ev->srv = srv;
	if (jerry_store_open(&ev->store, &srv->opts, &err)) {
		free(ev);
		return refuse(c, 500, err.code, "%s", err.message);
	}
	struct MHD_Response *r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 1024,
								   events_read, ev, events_free);
	if (!r) {
		events_free(ev);
		return MHD_NO;
	}
	return send_reply(c, 200, "text/event-stream", r);
}

/* ---- one request --------------------------------------------------------- */

static const char *get_arg(void *ctx, const char *name)
{
	return MHD_lookup_connection_value(ctx, MHD_GET_ARGUMENT_KIND, name);
}

static enum MHD_Result send_api(struct MHD_Connection *c, int rc, struct serve_reply *reply)
{
	if (rc)
		return send_text(c, 500, "application/json", NULL);
	return send_text(c, reply->status, "application/json", reply->body);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version,
				  const char *upload, size_t *upload_size, void **state)
{
	struct server *srv = cls;
	struct request *req = *state;
	(void)version;

	if (!req) {
		if (!(req = calloc(1, sizeof(*req))))
			return MHD_NO;
		*state = req;
		return MHD_YES;
	}
	if (*upload_size) {
		if (req->body.len + *upload_size > BODY_MAX)
			req->too_big = 1;
		else
			jr_sb_add(&req->body, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}

	const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
	if (!host_allowed(srv, host))
		return refuse(c, 403, JERRY_EINVALID,
			      "refused: host '%s' is not an address this server serves", host ? host : "");
	if (strcmp(method, "GET") == 0) {
		struct serve_reply reply = {0, NULL};
		if (strcmp(url, "/api/events") == 0)
			return send_events(c, srv);
		if (strncmp(url, "/api/", 5) == 0)
			return send_api(c, serve_api_get(&reply, &srv->opts, url, get_arg, c), &reply);
		return send_asset(c, url);
	}
	if (strcmp(method, "POST") != 0 || strncmp(url, "/api/", 5) != 0)
		return refuse(c, 405, JERRY_EINVALID, "method %s is not allowed here", method);
	if (origin_foreign(c, host))
		return refuse(c, 403, JERRY_EINVALID, "refused: a change from another site");
	if (!token_ok(srv, MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Jerry-Token")))
		return refuse(c, 403, JERRY_EINVALID,
			      "refused: a change needs this run's token (the URL jerry serve printed)");
	const char *type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
	if (!type || strncmp(type, "application/json", 16) != 0)
		return refuse(c, 415, JERRY_EINVALID, "a change is sent as application/json");
	if (req->too_big)
		return refuse(c, 413, JERRY_EINVALID, "the request body is over 256 KiB");
	if (req->body.failed)
		return send_text(c, 500, "application/json", NULL);
	struct serve_reply reply = {0, NULL};
	return send_api(c, serve_api_post(&reply, &srv->opts, url,
					  req->body.buf ? req->body.buf : "", req->body.len), &reply);
}

static void on_done(void *cls, struct MHD_Connection *c, void **state,
		    enum MHD_RequestTerminationCode why)
{
	struct request *req = *state;
	(void)cls;
	(void)c;
	(void)why;
	if (req) {
		jr_sb_release(&req->body);
		free(req);
		*state = NULL;
	}
}

/* ---- listening ----------------------------------------------------------- */

/* A listening socket on addr:port; -1 with errno. */
static int listen_on(const struct sockaddr *sa, socklen_t len)
{
	int one = 1;
	int fd = socket(sa->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    (sa->sa_family == AF_INET6 &&
	     setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one))) ||
	    bind(fd, sa, len) || listen(fd, 64)) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static unsigned bound_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &len))
		return 0;
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

static void add_host(struct server *srv, const char *addr, int v6, unsigned port)
{
	if (srv->nhosts < HOSTS_MAX)
		snprintf(srv->hosts[srv->nhosts++], sizeof(srv->hosts[0]),
			 v6 ? "[%s]:%u" : "%s:%u", addr, port);
}

static int cannot_listen(jerry_error *err, const char *addr, int v6, unsigned port, int e)
{
	jerry_error_clear(err);
	err->code = JERRY_EINVALID;
	err->sys_errno = e;
	snprintf(err->message, sizeof(err->message), v6 ? "cannot listen on [%s]:%u: %s"
		 : "cannot listen on %s:%u: %s", addr, port, strerror(e));
	if (e == EADDRINUSE)
		snprintf(err->hint, sizeof(err->hint), "another program has that port; "
			 "choose another with --port N, or --port 0 for any free one");
	return err->code;
}

/* Where to listen: loopback both ways, or the one address --listen gave. */
struct endpoint {
	struct sockaddr_storage sa;
	socklen_t len;
	char addr[64];
	int v6;
	int optional;      /* [::1] on a machine without IPv6: skipped */
	int wildcard;      /* 0.0.0.0 or ::: every address of the machine */
};

static int endpoints(struct endpoint *ep, size_t *n, const struct serve_opts *so, jerry_error *err)
{
	const char *addrs[2] = {"127.0.0.1", "::1"};
	size_t count = 2;
	if (so->listen) {
		addrs[0] = so->listen;
		count = 1;
	}
	*n = 0;
	for (size_t i = 0; i < count; i++) {
		struct addrinfo hints, *ai = NULL;
		memset(&hints, 0, sizeof(hints));
		hints.ai_flags = AI_NUMERICHOST;
		hints.ai_socktype = SOCK_STREAM;
		if (getaddrinfo(addrs[i], NULL, &hints, &ai) || !ai) {
			jerry_error_clear(err);
			err->code = JERRY_EINVALID;
			snprintf(err->message, sizeof(err->message),
				 "--listen: '%s' is not an IP address", addrs[i]);
			return err->code;
		}
		memcpy(&ep[*n].sa, ai->ai_addr, ai->ai_addrlen);
		ep[*n].len = ai->ai_addrlen;
		ep[*n].v6 = ai->ai_family == AF_INET6;
		ep[*n].optional = !so->listen && i == 1;
		ep[*n].wildcard = ep[*n].v6
			? IN6_IS_ADDR_UNSPECIFIED(&((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr)
			: ((struct sockaddr_in *)ai->ai_addr)->sin_addr.s_addr == htonl(INADDR_ANY);
		snprintf(ep[*n].addr, sizeof(ep[*n].addr), "%s", addrs[i]);
		freeaddrinfo(ai);
		(*n)++;
	}
	return 0;
}

static void set_port(struct endpoint *ep, unsigned port)
{
	if (ep->v6)
		((struct sockaddr_in6 *)&ep->sa)->sin6_port = htons((uint16_t)port);
	else
		((struct sockaddr_in *)&ep->sa)->sin_port = htons((uint16_t)port);
}

static void open_browser(const char *url)
{
	char *argv[] = {"xdg-open", (char *)url, NULL};
	pid_t pid;
	int rc = posix_spawnp(&pid, "xdg-open", NULL, NULL, argv, environ);
	if (rc)
		fprintf(stderr, "warning: cannot start a browser (xdg-open: %s); open the URL yourself\n",
			strerror(rc));
}

int serve_run(const jerry_open_opts *opts, const struct serve_opts *so, jerry_error *err)
{
	struct server srv;
	struct endpoint ep[2];
	struct MHD_Daemon *daemons[2] = {NULL, NULL};
	size_t nep, ndaemons = 0;
	unsigned char raw[16];
	unsigned port = so->port;
	sigset_t stop;
	int rc, sig;

	memset(&srv, 0, sizeof(srv));
	srv.opts = *opts;
	srv.opts.lock_wait_interruptible = 0;  /* threads: no SIGALRM ticks */
	atomic_init(&srv.stopping, 0);
	if ((rc = endpoints(ep, &nep, so, err)))
		return rc;
	if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw)) {
		jerry_error_clear(err);
		err->code = JERRY_EINTERNAL;
		snprintf(err->message, sizeof(err->message), "cannot make a token: %s", strerror(errno));
		return err->code;
	}
	for (size_t i = 0; i < sizeof(raw); i++)
		snprintf(srv.token + 2 * i, 3, "%02x", raw[i]);

	/* The threads libmicrohttpd starts inherit this mask: signals come here. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGPIPE);
	if ((rc = pthread_sigmask(SIG_BLOCK, &stop, NULL))) {
		jerry_error_clear(err);
		err->code = JERRY_EINTERNAL;
		snprintf(err->message, sizeof(err->message), "cannot block signals: %s", strerror(rc));
		return err->code;
	}
	rc = 0;
	for (size_t i = 0; i < nep && !rc; i++) {
		set_port(&ep[i], port);
		int fd = listen_on((struct sockaddr *)&ep[i].sa, ep[i].len);
		if (fd < 0 && ep[i].optional && (errno == EADDRNOTAVAIL || errno == EAFNOSUPPORT))
			continue;
		if (fd < 0) {
			rc = cannot_listen(err, ep[i].addr, ep[i].v6, port, errno);
			break;
		}
		port = bound_port(fd);
		daemons[ndaemons] = MHD_start_daemon(
			MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
			(ep[i].v6 ? MHD_USE_IPv6 : 0),
			(uint16_t)port, NULL, NULL, on_request, &srv,
			MHD_OPTION_LISTEN_SOCKET, fd,
			MHD_OPTION_NOTIFY_COMPLETED, on_done, &srv,
			MHD_OPTION_END);
		if (!daemons[ndaemons]) {
			close(fd);
			jerry_error_clear(err);
			err->code = JERRY_EINTERNAL;
			snprintf(err->message, sizeof(err->message),
				 "cannot start the HTTP server on %s", ep[i].addr);
			rc = err->code;
			break;
		}
		ndaemons++;
		srv.port = port;
		srv.wildcard |= ep[i].wildcard;
		add_host(&srv, ep[i].addr, ep[i].v6, port);
		if (!so->listen && !ep[i].v6)
			add_host(&srv, "localhost", 0, port);
	}
	if (!rc && srv.wildcard && gethostname(srv.name, sizeof(srv.name)) != 0)
		srv.name[0] = '\0';   /* IP addresses and localhost still serve */
	srv.name[sizeof(srv.name) - 1] = '\0';
	if (!rc) {
		char url[160], here[80];
		/* A wildcard is no address to open: loopback of its family here. */
		if (srv.wildcard)
			snprintf(here, sizeof(here), ep[0].v6 ? "[::1]:%u" : "127.0.0.1:%u", port);
		else
			snprintf(here, sizeof(here), "%s", srv.hosts[0]);
		snprintf(url, sizeof(url), "http://%s/?token=%s", here, srv.token);
		if (so->listen)
			fprintf(stderr, "warning: listening on %s: anyone who can reach it can read "
				"the board, and the URL's token lets them change it\n", srv.hosts[0]);
		if (srv.wildcard && srv.name[0])
			fprintf(stderr, "from another machine: http://%s:%u/?token=%s\n", srv.name,
				port, srv.token);
		printf("serving %s at %s\n", opts->data_dir, url);
		if (fflush(stdout) == EOF)
			fprintf(stderr, "warning: cannot print the URL: %s\n", strerror(errno));
		if (so->open)
			open_browser(url);
		while (sigwait(&stop, &sig) == 0 && sig == SIGPIPE)
			;
		fprintf(stderr, "jerry serve: stopping\n");
	}
	atomic_store(&srv.stopping, 1);
	for (size_t i = 0; i < ndaemons; i++)
		MHD_stop_daemon(daemons[i]);
	while (so->open && waitpid(-1, NULL, WNOHANG) > 0)
		;
	/*
	 * The signals stay blocked: the command ends now, and a second
	 * Ctrl-C must not cut short its flushing of standard output.
	 */
	return rc;
}
