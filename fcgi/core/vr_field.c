/*
 * vr_field: records of a resource, and the rules of its field table
 * applied to client input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vr_field.h"

/* What a VARIANT list holds: texts. */
static const vr_field_t variant_item = {
	.name = "item", .type = VR_T_TEXT,
};

/* The field describing each item of a LIST or VARIANT field. */
static const vr_field_t *
item_field(const vr_field_t *f)
{
	return f->type == VR_T_LIST ? f->items : &variant_item;
}

/* Frees v's text unless it lives in its record's text block. */
static void
value_drop_text(vr_value_t *v)
{
	if (!v->borrowed)
		free(v->s);
	v->s = NULL;
	v->borrowed = false;
}

vr_value_t *
vr_record_new(const vr_resource_t *res)
{
	/* One slot past the fields holds the text block, when there is one. */
	return calloc(res->nfields + 1, sizeof(vr_value_t));
}

void
vr_record_free(const vr_resource_t *res, vr_value_t *rec)
{
	size_t	 i;

	if (rec == NULL)
		return;
	for (i = 0; i < res->nfields; i++)
		vr_value_free(&res->fields[i], &rec[i]);
	value_drop_text(&rec[res->nfields]);
	free(rec);
}

void
vr_value_borrow(vr_value_t *v, const vr_value_t *src)
{
	*v = *src;
	v->s = NULL;
	v->borrowed = true;
}

void
vr_value_free(const vr_field_t *f, vr_value_t *v)
{
	size_t	 k;

	if (v->borrowed && v->s == NULL) {	/* nested parts not ours */
		memset(v, 0, sizeof(*v));
		return;
	}
	value_drop_text(v);
	if (v->rec != NULL)
		vr_record_free(f->sub, v->rec);
	for (k = 0; k < v->n; k++)
		vr_value_free(item_field(f), &v->item[k]);
	free(v->item);
	memset(v, 0, sizeof(*v));
}

vr_value_t *
vr_value_set_record(const vr_field_t *f, vr_value_t *v)
{
	vr_value_free(f, v);
	if ((v->rec = vr_record_new(f->sub)) == NULL)
		return NULL;
	v->present = true;
	return v->rec;
}

vr_value_t *
vr_value_push(vr_value_t *v)
{
	vr_value_t	*p;
	size_t		 n = v->n;

	/* The array grows to 4, 8, 16, ...: n is its size when it is full. */
	if (n == 0 || (n >= 4 && (n & (n - 1)) == 0)) {
		if (n > SIZE_MAX / 2 / sizeof(*p) ||
		    (p = realloc(v->item, (n == 0 ? 4 : 2 * n) *
		    sizeof(*p))) == NULL)
			return NULL;
		v->item = p;
	}
	v->present = true;
	v->null = false;
	memset(&v->item[n], 0, sizeof(v->item[n]));
	return &v->item[v->n++];
}

/* Deep copy of src into the zeroed dst; -1 when memory ran out. */
static int
value_copy(const vr_field_t *f, vr_value_t *dst, const vr_value_t *src)
{
	size_t	 k;

	*dst = *src;
	dst->s = NULL;
	dst->borrowed = false;
	dst->rec = dst->item = NULL;
	dst->n = 0;
	if (src->s != NULL && (dst->s = strdup(src->s)) == NULL)
		return -1;
	if (src->rec != NULL &&
	    (dst->rec = vr_record_dup(f->sub, src->rec)) == NULL)
		return -1;
	for (k = 0; k < src->n; k++)
		if (vr_value_push(dst) == NULL ||
		    value_copy(item_field(f), &dst->item[k], &src->item[k]) ==
		    -1)
			return -1;
	return 0;
}

int
vr_value_copy(const vr_field_t *f, vr_value_t *dst, const vr_value_t *src)
{
	vr_value_free(f, dst);
	if (value_copy(f, dst, src) == -1) {
		vr_value_free(f, dst);
		return -1;
	}
	return 0;
}

static bool	 record_same(const vr_resource_t *, const vr_value_t *,
		    const vr_value_t *);

/* A text as the JSON encoder writes it: NULL is "". */
static bool
text_same(const char *a, const char *b)
{
	return strcmp(a != NULL ? a : "", b != NULL ? b : "") == 0;
}

/*
 * The JSON encoder's cases one by one (codec/vr_json.c put_value), so
 * that two values are the same exactly when their encodings are equal.
 */
bool
vr_value_same(const vr_field_t *f, const vr_value_t *a, const vr_value_t *b)
{
	size_t	 k;

	if (a->null || b->null)
		return a->null && b->null;
	switch (f->type) {
	case VR_T_INT:
		return a->i == b->i;
	case VR_T_BOOL:
		return (a->i != 0) == (b->i != 0);
	case VR_T_RECORD:
		return record_same(f->sub, a->rec, b->rec);
	case VR_T_VARIANT:
		if ((a->kind == VR_T_INT) != (b->kind == VR_T_INT) ||
		    (a->kind == VR_T_LIST) != (b->kind == VR_T_LIST))
			return false;
		if (a->kind == VR_T_INT)
			return a->i == b->i;
		if (a->kind != VR_T_LIST)
			return text_same(a->s, b->s);
		/* FALLTHROUGH */
	case VR_T_LIST:
		if (a->n != b->n)
			return false;
		for (k = 0; k < a->n; k++)
			if (!vr_value_same(item_field(f), &a->item[k],
			    &b->item[k]))
				return false;
		return true;
	default:
		return text_same(a->s, b->s);
	}
}

/* Sub-records compared as encoded: present, visible fields; NULL is {}. */
static bool
record_same(const vr_resource_t *res, const vr_value_t *a,
    const vr_value_t *b)
{
	size_t	 k;
	bool	 in_a, in_b;

	for (k = 0; k < res->nfields; k++) {
		if (res->fields[k].flags & VR_F_HIDDEN)
			continue;
		in_a = a != NULL && a[k].present;
		in_b = b != NULL && b[k].present;
		if (in_a != in_b ||
		    (in_a && !vr_value_same(&res->fields[k], &a[k], &b[k])))
			return false;
	}
	return true;
}

char *
vr_record_text_block(const vr_resource_t *res, vr_value_t *rec, size_t n)
{
	vr_value_t	*block = &rec[res->nfields];
	char		*p;
	size_t		 i;

	if ((p = malloc(n > 0 ? n : 1)) == NULL)
		return NULL;
	for (i = 0; i < res->nfields; i++)
		if (rec[i].borrowed && rec[i].s != NULL) {	/* texts only */
			rec[i].s = NULL;
			rec[i].borrowed = false;
		}
	free(block->s);
	block->s = p;
	return p;
}

void
vr_value_set_borrowed(vr_value_t *v, char *s)
{
	value_drop_text(v);
	v->s = s;
	v->borrowed = true;
	v->present = true;
	v->null = false;
}

vr_value_t *
vr_record_dup(const vr_resource_t *res, const vr_value_t *src)
{
	vr_value_t	*rec;
	size_t		 i;

	if ((rec = vr_record_new(res)) == NULL)
		return NULL;
	for (i = 0; i < res->nfields; i++)
		if (value_copy(&res->fields[i], &rec[i], &src[i]) == -1) {
			vr_record_free(res, rec);
			return NULL;
		}
	return rec;
}

/* Whether a field holds records of another table than its twin's. */
static bool
projects(const vr_field_t *df, const vr_field_t *sf)
{
	if (df->type == VR_T_RECORD && sf->type == VR_T_RECORD)
		return df->sub != sf->sub;
	return df->type == VR_T_LIST && sf->type == VR_T_LIST &&
	    df->items->type == VR_T_RECORD && sf->items->type == VR_T_RECORD &&
	    df->items->sub != sf->items->sub;
}

int
vr_record_project(const vr_resource_t *dr, vr_value_t *d,
    const vr_resource_t *sr, const vr_value_t *s)
{
	const vr_field_t	*df, *sf;
	vr_value_t		*item, *rec;
	size_t			 i, k;
	int			 j;

	for (i = 0; i < dr->nfields; i++) {
		df = &dr->fields[i];
		if ((j = vr_field_index(sr, df->name, strlen(df->name))) < 0 ||
		    !s[j].present)
			continue;
		sf = &sr->fields[j];
		if (!projects(df, sf) || s[j].null) {
			if (vr_value_copy(df, &d[i], &s[j]) == -1)
				return -1;
		} else if (df->type == VR_T_RECORD) {
			if (vr_value_set_record(df, &d[i]) == NULL ||
			    vr_record_project(df->sub, d[i].rec, sf->sub,
			    s[j].rec) == -1)
				return -1;
		} else {
			vr_value_free(df, &d[i]);
			d[i].present = true;
			for (k = 0; k < s[j].n; k++)
				if ((item = vr_value_push(&d[i])) == NULL ||
				    (rec = vr_value_set_record(df->items,
				    item)) == NULL ||
				    vr_record_project(df->items->sub, rec,
				    sf->items->sub, s[j].item[k].rec) == -1)
					return -1;
		}
	}
	return 0;
}

int
vr_field_index(const vr_resource_t *res, const char *name, size_t len)
{
	size_t	 i;

	/* A hidden field is not a member clients may name. */
	for (i = 0; i < res->nfields; i++)
		if (!(res->fields[i].flags & VR_F_HIDDEN) &&
		    strlen(res->fields[i].name) == len &&
		    memcmp(res->fields[i].name, name, len) == 0)
			return (int)i;
	return -1;
}

int
vr_value_set_text(vr_value_t *v, const char *s, size_t len)
{
	char	*p;

	if ((p = malloc(len + 1)) == NULL)
		return -1;
	memcpy(p, s, len);
	p[len] = '\0';
	value_drop_text(v);
	v->s = p;
	v->present = true;
	v->null = false;
	return 0;
}

void
vr_value_set_int(vr_value_t *v, int64_t i)
{
	v->i = i;
	v->present = true;
	v->null = false;
}

void
vr_value_set_null(vr_value_t *v)
{
	value_drop_text(v);
	v->i = 0;
	v->present = true;
	v->null = true;
}

void
vr_value_clear(vr_value_t *v)
{
	value_drop_text(v);
	memset(v, 0, sizeof(*v));
}

bool
vr_utf8_valid(const char *str, size_t len)
{
	const unsigned char	*s = (const unsigned char *)str;
	size_t			 i = 0, n, k;
	uint32_t		 cp, min;

	while (i < len) {
		if (s[i] == 0)
			return false;
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xe0) == 0xc0) {
			n = 1; cp = s[i] & 0x1f; min = 0x80;
		} else if ((s[i] & 0xf0) == 0xe0) {
			n = 2; cp = s[i] & 0x0f; min = 0x800;
		} else if ((s[i] & 0xf8) == 0xf0) {
			n = 3; cp = s[i] & 0x07; min = 0x10000;
		} else
			return false;
		if (n > len - i - 1)
			return false;
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		/* Overlong forms, UTF-16 surrogates and > U+10FFFF. */
		if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return false;
		i += n + 1;
	}
	return true;
}

size_t
vr_utf8_chars(const char *s, size_t len)
{
	size_t	 i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	return n;
}

bool
vr_date_valid(const char *s)
{
	static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int	 y, m, d, k;

	for (k = 0; k < 10; k++)
		if ((k == 4 || k == 7) ? s[k] != '-' :
		    (s[k] < '0' || s[k] > '9'))
			return false;
	if (s[10] != '\0')
		return false;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return false;
	/* 29 February only in leap years. */
	return !(m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) ||
	    y % 400 == 0));
}

static bool
enum_member(const char *const *values, const char *s)
{
	for (; *values != NULL; values++)
		if (strcmp(*values, s) == 0)
			return true;
	return false;
}

void
vr_enum_names(const char *const *values, char *out, size_t len)
{
	size_t	 used = 0;
	int	 n;

	out[0] = '\0';
	for (; *values != NULL && used < len; values++) {
		n = snprintf(out + used, len - used, "%s%s", used ? ", " : "",
		    *values);
		if (n < 0 || (size_t)n >= len - used) {
			/* Cut at a whole name: "a, b, …". */
			out[used] = '\0';
			snprintf(out + used, len - used, "%s…", used ? ", " : "");
			return;
		}
		used += (size_t)n;
	}
}

static vr_err_e	 validate_record(const vr_resource_t *, vr_value_t *,
		    vr_mode_e, bool, const char *, vr_problem_t *);

/*
 * Whether validation goes on after a value gave e (first keeps the first
 * error): past 422s, to list every invalid field at once, until the
 * problem's list is full; any other error (admin_only) ends it.
 */
static bool
go_on(vr_err_e e, vr_err_e *first, const vr_problem_t *p)
{
	if (e != VR_OK && *first == VR_OK)
		*first = e;
	return *first == VR_OK || (*first == VR_E_INVALID &&
	    !vr_problem_full(p));
}

/* Checks one text of field f (a TEXT, ENUM or DATE value, or a VARIANT). */
static vr_err_e
validate_text(const vr_field_t *f, vr_value_t *v, const char *path,
    vr_problem_t *p)
{
	const char	*why;
	char		 names[160];
	size_t		 len = strlen(v->s);

	if (!vr_utf8_valid(v->s, len))
		return vr_fail_more(p, VR_E_INVALID, "invalid_utf8", path,
		    "%s is not valid UTF-8", path);
	if (f->normalize != NULL && f->type == VR_T_TEXT) {
		if (f->max_input > 0 && vr_utf8_chars(v->s, len) > f->max_input)
			return vr_fail_more(p, VR_E_INVALID, "too_long", path,
			    "%s is longer than %zu characters", path,
			    f->max_input);
		f->normalize(v->s);
		len = strlen(v->s);
	}
	/* An empty optional text means "no value"; store it as null. */
	if (len == 0 && (f->flags & VR_F_NULLABLE) && f->type != VR_T_VARIANT) {
		vr_value_set_null(v);
		return VR_OK;
	}
	switch (f->type) {
	case VR_T_TEXT:
	case VR_T_VARIANT:
		if (len == 0 && f->type == VR_T_TEXT)
			return vr_fail_more(p, VR_E_INVALID, "required", path,
			    "%s may not be empty", path);
		if (f->max_chars > 0 && vr_utf8_chars(v->s, len) > f->max_chars)
			return vr_fail_more(p, VR_E_INVALID, "too_long", path,
			    "%s is longer than %zu characters", path,
			    f->max_chars);
		if (f->check != NULL && (why = f->check(v->s)) != NULL)
			return vr_fail_more(p, VR_E_INVALID, "invalid_value",
			    path, "%s: %s", path, why);
		return VR_OK;
	case VR_T_ENUM:
		if (!enum_member(f->enum_values, v->s)) {
			vr_enum_names(f->enum_values, names, sizeof(names));
			return vr_fail_more(p, VR_E_INVALID, "invalid_value",
			    path, "%s is one of %s", path, names);
		}
		return VR_OK;
	case VR_T_DATE:
		if (!vr_date_valid(v->s))
			return vr_fail_more(p, VR_E_INVALID, "invalid_value",
			    path, "%s must be a date YYYY-MM-DD", path);
		if (f->check != NULL && (why = f->check(v->s)) != NULL)
			return vr_fail_more(p, VR_E_INVALID, "invalid_value",
			    path, "%s: %s", path, why);
		return VR_OK;
	default:
		return vr_fail_more(p, VR_E_INVALID, "read_only", path,
		    "%s is set by the server", path);
	}
}

/* Checks one item of a LIST or VARIANT list. */
static vr_err_e
validate_item(const vr_field_t *f, const vr_field_t *it, vr_value_t *v,
    bool is_admin, const char *path, vr_problem_t *p)
{
	if (v->null)
		return vr_fail_more(p, VR_E_INVALID, "null_not_allowed", path,
		    "%s may not be null", path);
	if (f->type == VR_T_VARIANT)
		return validate_text(it, v, path, p);
	if (it->type == VR_T_RECORD)
		return v->rec == NULL ? vr_fail_more(p, VR_E_INVALID,
		    "wrong_type", path, "%s must be a record", path) :
		    validate_record(it->sub, v->rec, VR_MODE_CREATE, is_admin,
		    path, p);
	if (it->type == VR_T_INT || it->type == VR_T_BOOL)
		return v->i < it->min || v->i > it->max ?
		    vr_fail_more(p, VR_E_INVALID, "out_of_range", path,
		    "%s must be between %lld and %lld", path,
		    (long long)it->min, (long long)it->max) : VR_OK;
	return validate_text(it, v, path, p);
}

/* Checks the items of a LIST or VARIANT list. */
static vr_err_e
validate_items(const vr_field_t *f, vr_value_t *v, bool is_admin,
    const char *path, vr_problem_t *p)
{
	const vr_field_t	*it = f->type == VR_T_LIST ? f->items : f;
	size_t			 max = f->max_items ? f->max_items :
				    VR_LIST_MAX_ITEMS, k;
	char			 ip[VR_PROBLEM_FIELD_MAX];
	vr_err_e		 first = VR_OK;

	if (v->n > max)
		return vr_fail_more(p, VR_E_INVALID, "too_many_items", path,
		    "%s holds more than %zu items", path, max);
	for (k = 0; k < v->n && go_on(VR_OK, &first, p); k++) {
		vr_path_index(ip, path, k);
		go_on(validate_item(f, it, &v->item[k], is_admin, ip, p),
		    &first, p);
	}
	return first;
}

/* Checks one client-given value against its field's rules. */
static vr_err_e
validate_value(const vr_field_t *f, vr_value_t *v, vr_mode_e mode,
    bool is_admin, const char *path, vr_problem_t *p)
{
	if (v->null) {
		if ((f->flags & VR_F_NULLABLE) &&
		    !(mode == VR_MODE_UPDATE && (f->flags & VR_F_VERSION)))
			return VR_OK;
		return vr_fail_more(p, VR_E_INVALID, "null_not_allowed", path,
		    "%s may not be null", path);
	}
	switch (f->type) {
	case VR_T_INT:
		if (v->i < f->min || v->i > f->max)
			return vr_fail_more(p, VR_E_INVALID, "out_of_range",
			    path, "%s must be between %lld and %lld", path,
			    (long long)f->min, (long long)f->max);
		return VR_OK;
	case VR_T_BOOL:
		return VR_OK;
	case VR_T_RECORD:
		return validate_record(f->sub, v->rec, VR_MODE_CREATE, is_admin,
		    path, p);
	case VR_T_LIST:
		return validate_items(f, v, is_admin, path, p);
	case VR_T_VARIANT:
		if (v->kind == VR_T_LIST)
			return validate_items(f, v, is_admin, path, p);
		return v->kind == VR_T_INT ? VR_OK :
		    validate_text(f, v, path, p);
	default:
		return validate_text(f, v, path, p);
	}
}

/* Checks one field of a record (present or not). */
static vr_err_e
validate_field(const vr_field_t *f, vr_value_t *v, vr_mode_e mode,
    bool is_admin, const char *path, vr_problem_t *p)
{
	if ((f->flags & VR_F_VERSION) && mode == VR_MODE_UPDATE) {
		if (!v->present)
			return vr_fail_more(p, VR_E_INVALID, "required", path,
			    "%s is required: send the version you read", path);
	} else if (v->present && (f->flags &
	    (VR_F_SERVER | VR_F_VERSION | VR_F_ID)))
		return vr_fail_more(p, VR_E_INVALID, "read_only", path,
		    "%s is set by the server", path);
	else if (v->present && (f->flags & VR_F_FIXED) &&
	    mode == VR_MODE_UPDATE)
		return vr_fail_more(p, VR_E_INVALID, "read_only", path,
		    "%s is fixed once created", path);
	if (!v->present) {
		if ((f->flags & VR_F_REQUIRED) && mode == VR_MODE_CREATE)
			return vr_fail_more(p, VR_E_INVALID, "required", path,
			    "%s is required", path);
		return VR_OK;
	}
	if ((f->flags & VR_F_ADMIN) && !is_admin)
		return vr_fail_more(p, VR_E_FORBIDDEN, "admin_only", path,
		    "only an admin may set %s", path);
	return validate_value(f, v, mode, is_admin, path, p);
}

static vr_err_e
validate_record(const vr_resource_t *res, vr_value_t *rec, vr_mode_e mode,
    bool is_admin, const char *prefix, vr_problem_t *p)
{
	char			 path[VR_PROBLEM_FIELD_MAX];
	vr_err_e		 first = VR_OK;
	size_t			 i;

	for (i = 0; i < res->nfields && go_on(VR_OK, &first, p); i++) {
		vr_path_member(path, prefix, res->fields[i].name);
		go_on(validate_field(&res->fields[i], &rec[i], mode, is_admin,
		    path, p), &first, p);
	}
	return first;
}

vr_err_e
vr_record_validate(const vr_resource_t *res, vr_value_t *rec, vr_mode_e mode,
    bool is_admin, vr_problem_t *p)
{
	return validate_record(res, rec, mode, is_admin, "", p);
}

int
vr_list_push(vr_list_t *l, vr_value_t *rec)
{
	vr_value_t	**p;
	size_t		  ncap;

	if (l->n == l->cap) {
		ncap = l->cap ? l->cap * 2 : 16;
		if ((p = realloc(l->items, ncap * sizeof(*p))) == NULL)
			return -1;
		l->items = p;
		l->cap = ncap;
	}
	l->items[l->n++] = rec;
	return 0;
}

void
vr_list_free(const vr_resource_t *res, vr_list_t *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		vr_record_free(res, l->items[i]);
	free(l->items);
	free(l->next_cursor);
	memset(l, 0, sizeof(*l));
}

int
vr_value_set_str(vr_value_t *v, const char *s)
{
	return vr_value_set_text(v, s, strlen(s));
}

bool
vr_value_is(const vr_value_t *v, const char *s)
{
	return v->present && !v->null && v->s != NULL && s != NULL &&
	    strcmp(v->s, s) == 0;
}

bool
vr_value_given(const vr_value_t *v)
{
	return v->present && !v->null;
}
