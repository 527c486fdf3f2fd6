/*
 * vr_master: `serve` as a master and worker processes (the php-fpm and
 * nginx pattern).  The master opens or inherits the listening socket,
 * forks `processes` workers (vr_server_worker) and only supervises: a
 * worker that dies is logged with the request ids it held and replaced
 * at once; SIGHUP reads the configuration and the manifest again and, if
 * they hold, starts new workers and lets the old ones finish what they
 * hold; SIGTERM or SIGINT stops the workers, which drain, and returns.
 */
#ifndef VR_MASTER_H
#define VR_MASTER_H

#include "../core/vr_config.h"

/*
 * Puts the tables that depend on the configuration (the manifest) in
 * place for cfg; 0, or -1 with a message, the old ones kept.
 */
typedef int	(*vr_reload_fn)(const vr_config_t *cfg, char *err,
		    size_t errlen);

/*
 * Serves FastCGI as above.  Returns the exit status, in the master (1
 * when it could not start) and in each worker process once it is done:
 * either way the caller frees what it owns and exits with it.
 */
int	 vr_master_run(const vr_config_t *, vr_reload_fn);

#endif
