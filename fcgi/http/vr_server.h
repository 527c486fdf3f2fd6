/*
 * vr_server: how requests arrive and are answered: the threads of a
 * FastCGI worker process (vr_master.h starts the processes), or one
 * plain CGI request from the environment.
 */
#ifndef VR_SERVER_H
#define VR_SERVER_H

#include "../core/vr_config.h"

/* Whether the process was started as a CGI program. */
int	 vr_server_is_cgi(void);
/* Answers one CGI request; returns the process exit status. */
int	 vr_server_cgi(const vr_config_t *);
/*
 * What a worker thread is doing, in memory shared with the master, which
 * names the requests a worker process held when it died.
 */
typedef struct vr_slot {
	char	 request_id[33];	/* "" while idle */
} vr_slot_t;

/*
 * One FastCGI worker process: serves listen_fd (non-blocking) with
 * cfg->threads threads, one slot each, until SIGTERM or SIGINT, then
 * lets requests in flight finish.  Returns its exit status.
 */
int	 vr_server_worker(const vr_config_t *, int listen_fd, vr_slot_t *);

/*
 * The request id: nginx's $request_id when it is one (32 lowercase hex
 * digits), else 16 random bytes in hex.  Commands use it with NULL.
 */
void	 vr_request_id(const char *from_nginx, char out[33]);

#endif
