/*
 * vr_server: how requests arrive.  FastCGI with worker threads on our own
 * listening socket, on one inherited from spawn-fcgi (fd 0) or systemd
 * (fd 3), or one plain CGI request from the environment.
 */
#ifndef VR_SERVER_H
#define VR_SERVER_H

#include "../core/vr_config.h"

/* Whether the process was started as a CGI program. */
int	 vr_server_is_cgi(void);
/* Answers one CGI request; returns the process exit status. */
int	 vr_server_cgi(const vr_config_t *);
/*
 * Serves FastCGI until SIGTERM or SIGINT, then lets requests in flight
 * finish and returns 0; 1 when it could not start.
 */
int	 vr_server_fastcgi(const vr_config_t *);

/*
 * The request id: nginx's $request_id when it is one (32 lowercase hex
 * digits), else 16 random bytes in hex.  Commands use it with NULL.
 */
void	 vr_request_id(const char *from_nginx, char out[33]);

#endif
