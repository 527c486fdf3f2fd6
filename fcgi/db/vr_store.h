/*
 * vr_store: any stored resource in SQL, from its field table and a small
 * declaration of how it is listed (sorts, equality filters, an optional
 * name search).  Every statement is generated once at start-up from the
 * table (column names are constants of the table, never client input)
 * and run prepared.  Lists page by keyset: the cursor holds the last
 * row's sort key and id, never an OFFSET.
 *
 * Nested fields: a sub-record, list or variant with a column is kept as
 * its JSON in that column (the codec's canonical form).  A list of
 * sub-records with a child_table is kept one row per item there: the
 * parent's id in child_key, the item's place in `position` (from 0), and
 * the sub-record's own columns; it is read and written with its parent
 * (lists of parents leave it out) and rewritten whole when a write
 * gives it.
 */
#ifndef VR_STORE_H
#define VR_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/vr_field.h"
#include "vr_db.h"

#define VR_STORE_MAX_SORTS	8
#define VR_STORE_MAX_FILTERS	8
#define VR_STORE_MAX_SEARCH	4
#define VR_STORE_SQL_MAX	4096
#define VR_STORE_MAX_CHILDREN	4
#define VR_STORE_BATCH		16	/* child rows inserted per statement */
#define VR_STORE_BATCH_SIZES	5	/* 1, 2, 4, 8 and 16 rows */

/* A sort= value: by field (its column), ties broken by id. */
typedef struct vr_sort {
	const char	*name;		/* "name", "-updated_at" */
	int		 field;
	bool		 desc;
} vr_sort_t;

/*
 * An equality filter ?param=value on one ENUM, TEXT or INT field; with
 * multi, ?param=a,b means any of them.
 */
typedef struct vr_filter {
	const char	*param;
	int		 field;
	bool		 multi;
	/*
	 * Instead of a value: ?param=true selects the rows this condition
	 * (SQL over the table's columns as v.col, a constant of the
	 * declaration, never client input) holds for.
	 */
	const char	*condition;
} vr_filter_t;

/*
 * ?q=: a substring of any of the fields (LIKE).  With a terms table the
 * store also keeps every two-character substring of those fields there
 * (rewritten when one of them changes), and a q of two or more
 * characters reads only the records holding its first two: a LIKE
 * '%q%' can use no index, and Japanese names have no word breaks.
 * A searched field may be one the database computes (VR_F_DB) from
 * others: sources then name those, whose change rewrites the terms.
 */
typedef struct vr_search {
	const char	*param;		/* "q" */
	size_t		 max_chars;
	int		 fields[VR_STORE_MAX_SEARCH];
	size_t		 nfields;
	int		 sources[VR_STORE_MAX_SEARCH];	/* 0 items: fields */
	size_t		 nsources;
	/* Rewrites q in place (never longer) as the fields hold text. */
	void		(*fold)(char *);
	const char	*terms_table;	/* (term, <key>) table, or NULL */
	const char	*terms_key;	/* its column holding the record id */
} vr_search_t;

struct vr_actor;

/*
 * Rules of a resource beyond its single fields, run by the generic write
 * (vr_write.c) after defaults and stamps, before the row is written, in
 * its transaction: derived fields (a vendor's tier), cross-field and
 * cross-record rules, who may do what.  before is NULL on create.
 * Returns VR_OK, or an error with p filled (nothing is written).
 */
typedef vr_err_e (*vr_derive_fn)(vr_db_t *, const struct vr_actor *,
		    vr_value_t *rec, const vr_value_t *before, vr_problem_t *);

/*
 * What a write of the resource changes elsewhere, run by the generic
 * write after its row and audit row, in its transaction: it writes the
 * other records and describes each change (a suspended vendor flags the
 * subcontracts below it).  before is NULL on create.
 */
struct vr_changes;
typedef vr_err_e (*vr_after_write_fn)(vr_db_t *, const struct vr_actor *,
		    const vr_value_t *rec, const vr_value_t *before,
		    struct vr_changes *, const char *now, vr_problem_t *);

/* The SQL built by vr_store_init(); lives as long as the process. */
typedef struct vr_store_sql {
	char	 get[VR_STORE_SQL_MAX];
	char	 get_lock[VR_STORE_SQL_MAX];
	char	 insert[VR_STORE_SQL_MAX];
	char	 update[VR_STORE_SQL_MAX];
	char	 list[VR_STORE_MAX_SORTS][VR_STORE_SQL_MAX];
	char	 list_terms[VR_STORE_MAX_SORTS][VR_STORE_SQL_MAX];
	char	 count[VR_STORE_SQL_MAX];	/* filters only */
	char	 lookup[VR_STORE_SQL_MAX];	/* by lookup_field */
	char	 same[VR_STORE_SQL_MAX];	/* by same_field */
	char	 terms_delete[VR_STORE_SQL_MAX];
	char	 terms_insert[VR_STORE_SQL_MAX];
	struct vr_store_child {
		int	 field;		/* the LIST field */
		size_t	 ncols;		/* parameters of one row */
		char	 select[VR_STORE_SQL_MAX];
		char	 delete[VR_STORE_SQL_MAX];
		char	 update[VR_STORE_SQL_MAX];	/* one row by position */
		char	 truncate[VR_STORE_SQL_MAX];	/* rows from a position */
		/* insert[k]: 1 << k rows in one statement */
		char	 insert[VR_STORE_BATCH_SIZES][4 * VR_STORE_SQL_MAX];
	}	 child[VR_STORE_MAX_CHILDREN];
	size_t	 nchildren;
	char	 created[64];		/* event type "<name>.created" */
	char	 updated[64];		/* "<name>.updated" */
	int	 id_field;
	int	 version_field;		/* -1: records are never updated */
	bool	 ready;
} vr_store_sql_t;

typedef struct vr_store {
	const vr_resource_t	*res;
	const char		*path;		/* "/vendors": Location */
	const vr_sort_t		*sorts;		/* the first is the default */
	size_t			 nsorts;
	const vr_filter_t	*filters;
	size_t			 nfilters;
	const vr_search_t	*search;	/* NULL: no q */
	vr_derive_fn		 derive;	/* NULL: none */
	vr_after_write_fn	 after_write;	/* NULL: none */
	/* A unique field records are also found by (0: none). */
	int			 lookup_field;
	/*
	 * A field whose value another record should not share (0: none);
	 * vr_store_find_same() finds the record that already holds it.
	 */
	int			 same_field;
	/*
	 * A BOOL field whose turning true in a patch raises an event of
	 * its own (type) besides "<name>.updated", in the same write.
	 */
	const struct vr_flag_event {
		int		 field;
		const char	*type;
	}			*flag_event;
	vr_store_sql_t		*sql;		/* filled by vr_store_init() */
} vr_store_t;

/* What a list asks for; values already checked by the caller. */
typedef struct vr_store_query {
	const char	*filters[VR_STORE_MAX_FILTERS];	/* NULL: any */
	const char	*q;		/* NULL: no search */
	int		 sort;		/* index into sorts */
	const char	*cursor;	/* opaque, from a previous page */
	int64_t		 limit;
} vr_store_query_t;

/* Builds the statements; main thread, before workers.  0 or -1. */
int		 vr_store_init(const vr_store_t *);
/* Sort index by its query name; -1 when unknown. */
int		 vr_store_sort_of(const vr_store_t *, const char *);
/* The row alone, without its child lists (they stay absent). */
vr_err_e	 vr_store_get_row(vr_db_t *, const vr_store_t *, int64_t id,
		    bool lock, vr_value_t *, vr_problem_t *);
/* VR_E_NOT_FOUND when there is none; lock: FOR UPDATE inside a write. */
vr_err_e	 vr_store_get(vr_db_t *, const vr_store_t *, int64_t id,
		    bool lock, vr_value_t *, vr_problem_t *);
/*
 * The record whose lookup field is value (a new record in *out, the
 * caller frees it); VR_E_NOT_FOUND when there is none.
 */
vr_err_e	 vr_store_find_by(vr_db_t *, const vr_store_t *,
		    const char *value, vr_value_t **out, vr_problem_t *);
/*
 * The record of lowest id, other than except_id, whose same_field holds
 * value (a new record in *out without its child lists, the caller frees
 * it); VR_E_NOT_FOUND, p untouched, when there is none.
 */
vr_err_e	 vr_store_find_same(vr_db_t *, const vr_store_t *,
		    const char *value, int64_t except_id, vr_value_t **out,
		    vr_problem_t *);
/* Inserts every stored field but id; sets rec's id. */
vr_err_e	 vr_store_insert(vr_db_t *, const vr_store_t *, vr_value_t *,
		    vr_problem_t *);
/*
 * Writes after over the row before was read from, where id and version
 * still match before's; VR_E_CONFLICT otherwise.  The search terms are
 * rewritten when a searched field changed.
 */
vr_err_e	 vr_store_update(vr_db_t *, const vr_store_t *,
		    const vr_value_t *before, const vr_value_t *after,
		    vr_problem_t *);
/* How many records the filters of q (only) select. */
vr_err_e	 vr_store_count(vr_db_t *, const vr_store_t *,
		    const vr_store_query_t *, int64_t *, vr_problem_t *);
/* A bad cursor is VR_E_MALFORMED naming "cursor". */
vr_err_e	 vr_store_list(vr_db_t *, const vr_store_t *,
		    const vr_store_query_t *, vr_list_t *, vr_problem_t *);

#endif
