/*
 * vr_register_db: what the vendor register (委託先一覧) shows beside each
 * vendor's own row: its open findings and its place in subcontract
 * chains, for every vendor in one grouped read.  Read-only.
 */
#ifndef VR_REGISTER_DB_H
#define VR_REGISTER_DB_H

#include "vr_db.h"

typedef struct vr_register_extra {
	int64_t		 vendor_id;
	int64_t		 open_findings;	/* open or in progress */
	int64_t		 level;		/* 再委託 level as a subcontractor; 0: none */
	int64_t		 subcontractors; /* approved subcontracts it gave */
	int64_t		 depth_below;	/* deepest approved level below it */
} vr_register_extra_t;

typedef struct vr_register_extras {
	vr_register_extra_t *items;	/* by vendor_id, ascending */
	size_t		 n, cap;
} vr_register_extras_t;

vr_err_e	 vr_register_extras(vr_db_t *, vr_register_extras_t *,
		    vr_problem_t *);
/* The extras of vendor id (zeros when it has none). */
vr_register_extra_t vr_register_extra(const vr_register_extras_t *,
		    int64_t id);
void		 vr_register_extras_free(vr_register_extras_t *);

#endif
