/*
 * vr_vendor_store: the vendors table, through prepared statements built
 * once from the vendor field table.
 */
#ifndef VR_VENDOR_STORE_H
#define VR_VENDOR_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/vr_field.h"
#include "vr_db.h"

typedef enum vr_vendor_sort {
	VR_SORT_ID, VR_SORT_ID_DESC, VR_SORT_NAME, VR_SORT_NAME_DESC,
	VR_SORT_UPDATED, VR_SORT_UPDATED_DESC, VR_SORT__MAX
} vr_vendor_sort_e;

typedef struct vr_vendor_filter {
	const char		*status;	/* NULL: any */
	const char		*tier;		/* NULL: any */
	const char		*q;		/* substring of name or kana */
	vr_vendor_sort_e	 sort;
	const char		*cursor;	/* opaque, from a previous page */
	int64_t			 limit;		/* 1..200 */
} vr_vendor_filter_t;

int		 vr_vendor_store_init(void);
/* Sort by its query name ("name", "-updated_at", ...); -1 when unknown. */
int		 vr_vendor_sort_of(const char *);
/* VR_E_NOT_FOUND when there is no such vendor; lock takes FOR UPDATE. */
vr_err_e	 vr_vendor_get(vr_db_t *, int64_t id, bool lock, vr_value_t *,
		    vr_problem_t *);
/* Inserts every stored field but id; sets rec's id. */
vr_err_e	 vr_vendor_insert(vr_db_t *, vr_value_t *, vr_problem_t *);
/*
 * Writes after over the row before was read from, where id and version
 * still match before's; VR_E_CONFLICT otherwise.  The search terms are
 * rewritten when the name or kana changed.
 */
vr_err_e	 vr_vendor_update(vr_db_t *, const vr_value_t *before,
		    const vr_value_t *after, vr_problem_t *);
/* A bad cursor is VR_E_MALFORMED naming "cursor". */
vr_err_e	 vr_vendor_list(vr_db_t *, const vr_vendor_filter_t *,
		    vr_list_t *, vr_problem_t *);

#endif
