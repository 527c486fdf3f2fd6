/*
 * vr_migrate: applies sql/NNN_*.sql in order, once each.
 */
#ifndef VR_MIGRATE_H
#define VR_MIGRATE_H

#include <stdio.h>

#include "vr_db.h"

/*
 * Applies every migration in dir not yet recorded in vr_schema_migrations
 * and records it with its SHA-256.  An applied file whose checksum
 * changed, or a recorded one that is missing, stops it.  Progress goes to
 * out.  Returns 0, or -1 with the reason in err.
 */
int	 vr_migrate(vr_db_t *, const char *dir, FILE *out, char *err,
	    size_t errlen);

#endif
