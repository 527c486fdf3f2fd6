/*
 * vr_zip: flat ZIP archives in memory with libzip.  Writing gives every
 * file the same time, so an archive's bytes depend only on its files.
 * Reading treats the archive as hostile: names are checked before any
 * byte is inflated, entries are counted, and sizes are measured while
 * inflating (a header may lie: a zip bomb states a small size), so no
 * entry can grow past its limit in memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "vr_zip.h"

int
vr_zip_name_ok(const char *s)
{
	static const char	 ok[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";
	size_t			 n = strlen(s);

	return n > 0 && n <= VR_ZIP_NAME_MAX && s[0] != '.' &&
	    strspn(s, ok) == n;
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
		snprintf(err, errlen, "zip: the archive cannot be read back");
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

/* Inflates entry idx into e, stopping past the limits.  0 or -1. */
static int
read_entry(zip_t *za, zip_uint64_t idx, vr_zip_entry_t *e, size_t *total,
    char *err, size_t errlen)
{
	zip_file_t	*zf;
	char		 chunk[16384];
	zip_int64_t	 n;
	int		 rc = -1;

	if ((zf = zip_fopen_index(za, idx, 0)) == NULL) {
		snprintf(err, errlen, "%s: %s", e->name,
		    zip_error_strerror(zip_get_error(za)));
		return -1;
	}
	while ((n = zip_fread(zf, chunk, sizeof(chunk))) > 0) {
		if (e->data.len + (size_t)n > VR_ZIP_MAX_ENTRY ||
		    *total + (size_t)n > VR_ZIP_MAX_TOTAL) {
			snprintf(err, errlen, "%s: larger than %u bytes, or "
			    "the archive larger than %u bytes inflated",
			    e->name, VR_ZIP_MAX_ENTRY, VR_ZIP_MAX_TOTAL);
			goto out;
		}
		if (vr_buf_append(&e->data, chunk, (size_t)n) == -1) {
			snprintf(err, errlen, "%s: out of memory", e->name);
			goto out;
		}
		*total += (size_t)n;
	}
	if (n < 0) {
		/* A CRC that does not match shows here, at the end. */
		snprintf(err, errlen, "%s: %s", e->name,
		    zip_error_strerror(zip_file_get_error(zf)));
		goto out;
	}
	if (e->data.data == NULL && vr_buf_puts(&e->data, "") == -1) {
		snprintf(err, errlen, "%s: out of memory", e->name);
		goto out;
	}
	rc = 0;
out:
	zip_fclose(zf);
	return rc;
}

int
vr_zip_read(const void *data, size_t len, vr_zip_t *z, char *err,
    size_t errlen)
{
	zip_error_t	 ze;
	zip_source_t	*src;
	zip_t		*za = NULL;
	zip_stat_t	 st;
	zip_int64_t	 count;
	zip_uint64_t	 i;
	size_t		 total = 0;
	int		 rc = -1;

	vr_zip_free(z);
	zip_error_init(&ze);
	if (len == 0) {
		snprintf(err, errlen, "not a ZIP archive: the file is empty");
		goto out;
	}
	if ((src = zip_source_buffer_create(data, len, 0, &ze)) == NULL) {
		zip_error(err, errlen, "zip", &ze);
		goto out;
	}
	if ((za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS,
	    &ze)) == NULL) {
		zip_error(err, errlen, "not a ZIP archive", &ze);
		zip_source_free(src);
		goto out;
	}
	if ((count = zip_get_num_entries(za, 0)) < 0 ||
	    count > VR_ZIP_MAX_ENTRIES) {
		snprintf(err, errlen, "the archive holds more than %d files",
		    VR_ZIP_MAX_ENTRIES);
		goto out;
	}
	/* Every name first: a bad one refuses the archive before inflating. */
	for (i = 0; i < (zip_uint64_t)count; i++) {
		zip_stat_init(&st);
		if (zip_stat_index(za, i, 0, &st) < 0 ||
		    !(st.valid & ZIP_STAT_NAME)) {
			snprintf(err, errlen, "entry %llu: no name",
			    (unsigned long long)i);
			goto out;
		}
		if (!vr_zip_name_ok(st.name)) {
			snprintf(err, errlen, "entry %llu: name \"%.64s\" is "
			    "not a plain file name (directories, \"..\" and "
			    "absolute paths are refused)",
			    (unsigned long long)i, st.name);
			goto out;
		}
		if (vr_zip_find(z, st.name) != NULL) {
			snprintf(err, errlen, "%s: in the archive twice",
			    st.name);
			goto out;
		}
		if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
		    st.encryption_method != ZIP_EM_NONE) {
			snprintf(err, errlen, "%s: encrypted", st.name);
			goto out;
		}
		memset(&z->entries[z->n], 0, sizeof(z->entries[z->n]));
		snprintf(z->entries[z->n].name, sizeof(z->entries[0].name),
		    "%s", st.name);
		z->n++;
	}
	for (i = 0; i < z->n; i++)
		if (read_entry(za, i, &z->entries[i], &total, err,
		    errlen) == -1)
			goto out;
	rc = 0;
out:
	if (za != NULL)
		zip_discard(za);
	zip_error_fini(&ze);
	return rc;
}
