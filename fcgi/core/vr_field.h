/*
 * vr_field: the declarative description of a resource (one field table
 * per resource) and the record that holds one instance of it.
 *
 * A record is an array of vr_value_t indexed like the resource's field
 * table.  The JSON and XML codecs fill and read records from the same
 * table, the db layer binds them from it, and vr_record_validate() applies
 * its rules; so a field exists once, and both formats see the same data.
 */
#ifndef VR_FIELD_H
#define VR_FIELD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vr_err.h"

typedef enum vr_type {
	VR_T_INT,	/* 64-bit integer in [min, max]; JSON number, xs:long */
	VR_T_BOOL,	/* JSON true/false, xs:boolean; held in .i as 0/1 */
	VR_T_TEXT,	/* UTF-8 string of at most max_chars characters */
	VR_T_ENUM,	/* one of enum_values; held in .s */
	VR_T_TIME,	/* server time, ISO 8601 UTC "2026-11-25T08:00:00.000000Z" */
	VR_T_DATE,	/* business date "YYYY-MM-DD" */
	VR_T_RECORD,	/* a sub-record of .sub; JSON object, XML child elements */
	VR_T_LIST,	/* values each as .items says; JSON array, XML one
			 * element per item named .items->name */
	VR_T_VARIANT	/* text, an integer or a list of texts, whichever
			 * was sent (.kind tells); its meaning depends on
			 * another record (an answer on its question) */
} vr_type_e;

/* Whether values of this type hold other values (RECORD, LIST, VARIANT). */
static inline bool
vr_type_nested(vr_type_e t)
{
	return t == VR_T_RECORD || t == VR_T_LIST || t == VR_T_VARIANT;
}

/* Items of a list when its field says no other limit. */
#define VR_LIST_MAX_ITEMS	1000

/* Field flags. */
#define VR_F_REQUIRED	0x01u	/* must be given on create */
#define VR_F_SERVER	0x02u	/* set by the server only; input refused */
#define VR_F_VERSION	0x04u	/* optimistic-lock version: required on update */
#define VR_F_NULLABLE	0x08u	/* may be null / absent in storage */
#define VR_F_ADMIN	0x10u	/* writable by the admin role only */
#define VR_F_ID		0x20u	/* the record's primary key */
/* Stamps the generic write sets (vr_change.c); all are server-set too. */
#define VR_F_CREATOR	0x40u	/* who created the record */
#define VR_F_CREATED	0x80u	/* when (TIME) */
#define VR_F_UPDATER	0x100u	/* who changed it last */
#define VR_F_UPDATED	0x200u	/* when (TIME) */
#define VR_F_HIDDEN	0x400u	/* stored, never shown (nor in audit images) */
#define VR_F_DB		0x800u	/* computed by the database (a generated
				 * column): read, never written */
#define VR_F_FIXED	0x1000u	/* given on create, never in a PATCH (422
				 * read_only naming it) */

/*
 * One field.  Tables are written with designated initialisers
 * ([VF_NAME] = { .name = "name", ... }), so a new member never shifts a
 * row and a member left out is zero.
 */
typedef struct vr_field {
	const char	*name;		/* JSON member and XML element name */
	const char	*column;	/* SQL column; NULL when not stored */
	vr_type_e	 type;
	unsigned	 flags;
	size_t		 max_chars;	/* TEXT: limit in Unicode characters */
	int64_t		 min, max;	/* INT: inclusive range */
	const char *const *enum_values;	/* ENUM: NULL-terminated */
	/* Extra rule on a TEXT value; returns NULL or why it is invalid. */
	const char	*(*check)(const char *);
	/*
	 * Rewrites a TEXT value in place before its other rules, never
	 * lengthening it (a 法人番号 typed with hyphens or full-width
	 * digits); max_input then limits what the client may send (the
	 * XSD's maxLength), max_chars what is kept.
	 */
	void		 (*normalize)(char *);
	size_t		 max_input;
	const char	*doc;		/* one line for the schema and docs */
	/* Value a new record gets when the client leaves the field out. */
	const char	*dflt;
	const struct vr_resource *sub;	/* RECORD: its field table */
	const struct vr_field *items;	/* LIST: one item (its name is the
					 * XML element of each item) */
	size_t		 max_items;	/* LIST, VARIANT: 0 = VR_LIST_MAX_ITEMS */
	/*
	 * LIST of RECORD in its own table: one row per item, keyed by
	 * child_key = the parent's id and a position (see vr_store.c).
	 */
	const char	*child_table;
	const char	*child_key;
} vr_field_t;

typedef struct vr_resource {
	const char	*name;		/* "vendor": XML element, audit entity */
	const char	*plural;	/* "vendors": XML list element */
	const char	*table;		/* SQL table, NULL when not stored */
	const char	*xmlns;		/* XML namespace of its documents */
	const vr_field_t *fields;
	size_t		 nfields;
} vr_resource_t;

typedef struct vr_value {
	bool	 present;	/* given by the client / loaded from storage */
	bool	 null;		/* present but null */
	bool	 borrowed;	/* s lives in the record's text block */
	vr_type_e kind;		/* VARIANT: VR_T_TEXT, VR_T_INT or VR_T_LIST */
	int64_t	 i;		/* INT and BOOL */
	char	*s;		/* TEXT, ENUM, TIME, DATE: NUL-terminated; owned
				 * (freed alone) unless borrowed */
	struct vr_value *rec;	/* RECORD: a record of the field's sub, owned */
	struct vr_value *item;	/* LIST, VARIANT list: n values, owned */
	size_t	 n;
} vr_value_t;

/* A page of records of one resource, with the cursor of the next page. */
typedef struct vr_list {
	vr_value_t	**items;
	size_t		  n, cap;
	char		 *next_cursor;	/* NULL on the last page */
} vr_list_t;

typedef enum vr_mode {
	VR_MODE_CREATE,
	VR_MODE_UPDATE
} vr_mode_e;

#define VR_XMLNS	"urn:vendor-review:api:1"

/*
 * Returns a zeroed record for res, or NULL when memory ran out.  It has
 * one hidden slot after the fields that may own a text block: rows read
 * from the database put all their texts in one allocation rather than
 * one per field (vr_record_text_block, vr_value_set_borrowed).  Records
 * on the stack (arrays of nfields) must not use the block.
 */
vr_value_t	*vr_record_new(const vr_resource_t *);
void		 vr_record_free(const vr_resource_t *, vr_value_t *);
/*
 * Gives rec (from vr_record_new) a new text block of n bytes, or NULL;
 * values borrowed from its previous block are unset first.
 */
char		*vr_record_text_block(const vr_resource_t *, vr_value_t *,
		    size_t n);
/* Sets v to s, which lives in its record's text block (not copied). */
void		 vr_value_set_borrowed(vr_value_t *, char *s);
/* Copies a record (deep); NULL when memory ran out. */
vr_value_t	*vr_record_dup(const vr_resource_t *, const vr_value_t *);
int		 vr_field_index(const vr_resource_t *, const char *name,
		    size_t len);
/*
 * Fills d (a record of dr) with copies of the fields of s (a record of
 * sr) that dr has by name, sub-records and lists of them projected the
 * same way: a view that leaves fields out.  0, or -1 (no memory).
 */
int		 vr_record_project(const vr_resource_t *dr, vr_value_t *d,
		    const vr_resource_t *sr, const vr_value_t *s);

/*
 * Nested values.  vr_value_set_record() gives v a fresh sub-record of
 * sub (dropping what v held); vr_value_push() appends a zeroed item to
 * the list (or VARIANT list) v and returns it.  NULL when memory ran out.
 * vr_value_free() frees whatever a value of field f holds, nested parts
 * too, and clears it.
 */
vr_value_t	*vr_value_set_record(const vr_field_t *, vr_value_t *);
vr_value_t	*vr_value_push(vr_value_t *);
void		 vr_value_free(const vr_field_t *, vr_value_t *);
/*
 * Makes v a view of the nested value src (its sub-record or items), not
 * a copy: src must outlive v, and freeing v leaves src alone.
 */
void		 vr_value_borrow(vr_value_t *v, const vr_value_t *src);
/*
 * Whether two values of field f say the same: whether their JSON forms
 * (the canonical form of the audit images) would be equal, compared
 * without encoding them.
 */
bool		 vr_value_same(const vr_field_t *, const vr_value_t *,
		    const vr_value_t *);
/* Replaces dst with a deep copy of src (values of field f); 0 or -1. */
int		 vr_value_copy(const vr_field_t *, vr_value_t *dst,
		    const vr_value_t *src);

/* Setters free the previous string; they return 0 or -1 (no memory). */
int		 vr_value_set_text(vr_value_t *, const char *, size_t);
/* The same for a NUL-terminated text. */
int		 vr_value_set_str(vr_value_t *, const char *);
/* Whether v holds the text s (present, not null; s NULL: false). */
bool		 vr_value_is(const vr_value_t *v, const char *s);
/* Whether v is present and not null. */
bool		 vr_value_given(const vr_value_t *v);
void		 vr_value_set_int(vr_value_t *, int64_t);
void		 vr_value_set_null(vr_value_t *);
void		 vr_value_clear(vr_value_t *);

/*
 * Checks client input against the table: server fields refused, required
 * fields present, types, lengths (in characters), ranges, enum members,
 * UTF-8, each field's check(); admin-only fields need is_admin.  Empty
 * strings in nullable TEXT fields become null.  Sub-records and list
 * items are checked the same way (a sub-record is always given whole, as
 * on create); p names the field by its path, e.g. "answers[3].value".
 * It goes on past an invalid field: p lists every 422 it finds
 * (vr_fail_more, at most VR_PROBLEM_ERRORS_MAX), the first also in p's
 * own members; an admin_only refusal (403) found first ends it.
 */
vr_err_e	 vr_record_validate(const vr_resource_t *, vr_value_t *,
		    vr_mode_e, bool is_admin, vr_problem_t *);

/* The names of an enum, NULL-ended, as "a, b, c" (cut with "…"). */
void		 vr_enum_names(const char *const *values, char *out, size_t len);
/* Strict RFC 3629 UTF-8 (no overlongs, surrogates, > U+10FFFF, NUL). */
bool		 vr_utf8_valid(const char *, size_t);
/* "YYYY-MM-DD" naming a day of the Gregorian calendar. */
bool		 vr_date_valid(const char *);
/* Number of code points in valid UTF-8. */
size_t		 vr_utf8_chars(const char *, size_t);

int		 vr_list_push(vr_list_t *, vr_value_t *);
void		 vr_list_free(const vr_resource_t *, vr_list_t *);

#endif
