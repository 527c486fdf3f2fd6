/*
 * vr_zip: flat ZIP archives in memory with libzip, every file dated the
 * same time and made a plain rw-r--r-- file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "vr_zip.h"

int
vr_zip_name_ok(const char *s)
{
	size_t	 n = strlen(s), i;

	if (n == 0 || n > VR_ZIP_NAME_MAX || s[0] == '.')
		return 0;
	for (i = 0; i < n; i++)
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789._-", s[i]) == NULL)
			return 0;
	return 1;
}

const vr_zip_entry_t *
vr_zip_find(const vr_zip_t *z, const char *name)
{
	size_t	 i;

	for (i = 0; i < z->n; i++)
		if (strcmp(z->entries[i].name, name) == 0)
			return &z->entries[i];
	return NULL;
}

int
vr_zip_add(vr_zip_t *z, const char *name, const void *data, size_t len)
{
	vr_zip_entry_t	*e;

	if (z->n == VR_ZIP_MAX_ENTRIES || !vr_zip_name_ok(name) ||
	    vr_zip_find(z, name) != NULL)
		return -1;
	e = &z->entries[z->n];
	memset(e, 0, sizeof(*e));
	snprintf(e->name, sizeof(e->name), "%s", name);
	/* An empty file still gets its (empty, NUL-ended) buffer. */
	if (vr_buf_append(&e->data, data, len) == -1 ||
	    (e->data.data == NULL && vr_buf_puts(&e->data, "") == -1)) {
		vr_buf_free(&e->data);
		return -1;
	}
	z->n++;
	return 0;
}

void
vr_zip_free(vr_zip_t *z)
{
	size_t	 i;

	for (i = 0; i < z->n; i++)
		vr_buf_free(&z->entries[i].data);
	z->n = 0;
}

static void
zip_error(char *err, size_t len, const char *what, zip_error_t *ze)
{
	snprintf(err, len, "%s: %s", what, zip_error_strerror(ze));
}

/* The bytes of the closed archive source src into out.  0 or -1. */
static int
source_bytes(zip_source_t *src, vr_buf_t *out, char *err, size_t errlen)
{
	zip_stat_t	 st;
	char		*p;
	zip_int64_t	 got;
	int		 rc = -1;

	if (zip_source_open(src) < 0) {
		zip_error(err, errlen, "zip", zip_source_error(src));
		return -1;
	}
	zip_stat_init(&st);
	if (zip_source_stat(src, &st) < 0 || !(st.valid & ZIP_STAT_SIZE) ||
	    (p = vr_buf_space(out, st.size)) == NULL) {
		snprintf(err, errlen, "zip: the archive's size is unknown or "
		    "too large");
		goto out;
	}
	got = zip_source_read(src, p, st.size);
	if (got < 0 || (zip_uint64_t)got != st.size) {
		vr_buf_commit(out, 0);
		snprintf(err, errlen, "zip: the archive could not be read back");
		goto out;
	}
	vr_buf_commit(out, st.size);
	rc = 0;
out:
	zip_source_close(src);
	return rc;
}

int
vr_zip_write(const vr_zip_t *z, long long mtime, vr_buf_t *out, char *err,
    size_t errlen)
{
	zip_error_t	 ze;
	zip_source_t	*src, *fs;
	zip_t		*za;
	zip_int64_t	 idx;
	size_t		 i;
	int		 rc = -1;

	zip_error_init(&ze);
	if ((src = zip_source_buffer_create(NULL, 0, 0, &ze)) == NULL) {
		zip_error(err, errlen, "zip", &ze);
		zip_error_fini(&ze);
		return -1;
	}
	if ((za = zip_open_from_source(src, ZIP_TRUNCATE, &ze)) == NULL) {
		zip_error(err, errlen, "zip", &ze);
		zip_source_free(src);
		zip_error_fini(&ze);
		return -1;
	}
	/* Kept past zip_close(), which writes the archive into it. */
	zip_source_keep(src);
	for (i = 0; i < z->n; i++) {
		if ((fs = zip_source_buffer(za, z->entries[i].data.data,
		    z->entries[i].data.len, 0)) == NULL)
			goto fail;
		if ((idx = zip_file_add(za, z->entries[i].name, fs,
		    ZIP_FL_ENC_UTF_8)) < 0) {
			zip_source_free(fs);
			goto fail;
		}
		/* A plain file, rw-r--r--, whatever unzips it. */
		if (zip_file_set_mtime(za, (zip_uint64_t)idx, (time_t)mtime,
		    0) < 0 || zip_file_set_external_attributes(za,
		    (zip_uint64_t)idx, 0, ZIP_OPSYS_UNIX,
		    (zip_uint32_t)0100644 << 16) < 0)
			goto fail;
	}
	if (zip_close(za) < 0)
		goto fail;
	rc = source_bytes(src, out, err, errlen);
	zip_source_free(src);
	zip_error_fini(&ze);
	return rc;
fail:
	zip_error(err, errlen, "zip", zip_get_error(za));
	zip_discard(za);
	zip_source_free(src);
	zip_error_fini(&ze);
	return -1;
}
