/*
 * vr_field: records of a resource, and the rules of its field table
 * applied to client input.
 */
#include <stdlib.h>
#include <string.h>

#include "vr_field.h"

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
	for (i = 0; i <= res->nfields; i++)
		value_drop_text(&rec[i]);
	free(rec);
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
		if (rec[i].borrowed) {
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
	for (i = 0; i < res->nfields; i++) {
		rec[i] = src[i];
		rec[i].s = NULL;
		rec[i].borrowed = false;
		if (src[i].s != NULL && (rec[i].s = strdup(src[i].s)) == NULL) {
			vr_record_free(res, rec);
			return NULL;
		}
	}
	return rec;
}

int
vr_field_index(const vr_resource_t *res, const char *name, size_t len)
{
	size_t	 i;

	for (i = 0; i < res->nfields; i++)
		if (strlen(res->fields[i].name) == len &&
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

static bool
enum_member(const char *const *values, const char *s)
{
	for (; *values != NULL; values++)
		if (strcmp(*values, s) == 0)
			return true;
	return false;
}

/* Checks one client-given value against its field's rules. */
static vr_err_e
validate_value(const vr_field_t *f, vr_value_t *v, vr_mode_e mode,
    vr_problem_t *p)
{
	const char	*why;
	size_t		 len;

	if (v->null) {
		if ((f->flags & VR_F_NULLABLE) &&
		    !(mode == VR_MODE_UPDATE && (f->flags & VR_F_VERSION)))
			return VR_OK;
		return vr_fail(p, VR_E_INVALID, "null_not_allowed", f->name,
		    "%s may not be null", f->name);
	}
	switch (f->type) {
	case VR_T_INT:
		if (v->i < f->min || v->i > f->max)
			return vr_fail(p, VR_E_INVALID, "out_of_range", f->name,
			    "%s must be between %lld and %lld", f->name,
			    (long long)f->min, (long long)f->max);
		return VR_OK;
	case VR_T_BOOL:
		return VR_OK;
	default:
		break;
	}
	len = strlen(v->s);
	if (!vr_utf8_valid(v->s, len))
		return vr_fail(p, VR_E_INVALID, "invalid_utf8", f->name,
		    "%s is not valid UTF-8", f->name);
	/* An empty optional text means "no value"; store it as null. */
	if (len == 0 && (f->flags & VR_F_NULLABLE)) {
		vr_value_set_null(v);
		return VR_OK;
	}
	switch (f->type) {
	case VR_T_TEXT:
		if (len == 0)
			return vr_fail(p, VR_E_INVALID, "required", f->name,
			    "%s may not be empty", f->name);
		if (f->max_chars > 0 && vr_utf8_chars(v->s, len) > f->max_chars)
			return vr_fail(p, VR_E_INVALID, "too_long", f->name,
			    "%s is longer than %zu characters", f->name,
			    f->max_chars);
		if (f->check != NULL && (why = f->check(v->s)) != NULL)
			return vr_fail(p, VR_E_INVALID, "invalid_value",
			    f->name, "%s: %s", f->name, why);
		return VR_OK;
	case VR_T_ENUM:
		if (!enum_member(f->enum_values, v->s))
			return vr_fail(p, VR_E_INVALID, "invalid_value",
			    f->name, "%s is not one of the allowed values",
			    f->name);
		return VR_OK;
	default:
		return vr_fail(p, VR_E_INVALID, "read_only", f->name,
		    "%s is set by the server", f->name);
	}
}

vr_err_e
vr_record_validate(const vr_resource_t *res, vr_value_t *rec, vr_mode_e mode,
    bool is_admin, vr_problem_t *p)
{
	const vr_field_t	*f;
	vr_err_e		 e;
	size_t			 i;

	for (i = 0; i < res->nfields; i++) {
		f = &res->fields[i];
		if ((f->flags & VR_F_VERSION) && mode == VR_MODE_UPDATE) {
			if (!rec[i].present)
				return vr_fail(p, VR_E_INVALID, "required",
				    f->name, "%s is required: send the "
				    "version you read", f->name);
		} else if (rec[i].present && (f->flags &
		    (VR_F_SERVER | VR_F_VERSION | VR_F_ID)))
			return vr_fail(p, VR_E_INVALID, "read_only", f->name,
			    "%s is set by the server", f->name);
		if (!rec[i].present) {
			if ((f->flags & VR_F_REQUIRED) && mode == VR_MODE_CREATE)
				return vr_fail(p, VR_E_INVALID, "required",
				    f->name, "%s is required", f->name);
			continue;
		}
		if ((f->flags & VR_F_ADMIN) && !is_admin)
			return vr_fail(p, VR_E_FORBIDDEN, "admin_only",
			    f->name, "only an admin may set %s", f->name);
		if ((e = validate_value(f, &rec[i], mode, p)) != VR_OK)
			return e;
	}
	return VR_OK;
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
