/*
 * vr_zip: ZIP archives in memory (libzip), for the files the plugin hands
 * out as one download: writing a flat archive of named buffers, and
 * reading one back under limits, as an untrusted file (vr_zip.c).
 */
#ifndef VR_ZIP_H
#define VR_ZIP_H

#include <stddef.h>

#include "../core/vr_buf.h"

#define VR_ZIP_MEDIA_TYPE	"application/zip"

/* What a reader accepts: a flat archive of a few, bounded files. */
#define VR_ZIP_MAX_ENTRIES	32
#define VR_ZIP_MAX_ENTRY	(64u * 1024 * 1024)	/* bytes, each */
#define VR_ZIP_MAX_TOTAL	(256u * 1024 * 1024)	/* bytes, together */
#define VR_ZIP_NAME_MAX		64

/* One file of an archive. */
typedef struct vr_zip_entry {
	char		 name[VR_ZIP_NAME_MAX + 1];
	vr_buf_t	 data;
} vr_zip_entry_t;

typedef struct vr_zip {
	vr_zip_entry_t	 entries[VR_ZIP_MAX_ENTRIES];
	size_t		 n;
} vr_zip_t;

/*
 * Whether name may be a file of our archives: 1 to VR_ZIP_NAME_MAX of
 * [A-Za-z0-9._-], not starting with '.': no directories, no "..", no
 * absolute paths, nothing a file system or a shell reads twice.
 */
int		 vr_zip_name_ok(const char *);

/*
 * Appends to z a copy of len bytes as file name (vr_zip_name_ok, not yet
 * in z).  0, or -1 (bad or repeated name, full, no memory).
 */
int		 vr_zip_add(vr_zip_t *, const char *name, const void *,
		    size_t len);
/*
 * Writes z as a ZIP archive (deflated, every file dated mtime, so the
 * same files give the same bytes) to out.  0, or -1 with why in err.
 */
int		 vr_zip_write(const vr_zip_t *, long long mtime, vr_buf_t *out,
		    char *err, size_t errlen);
/*
 * Reads the archive of len bytes into z (emptied first): refused, -1
 * with why in err, when it is no ZIP archive, holds more than
 * VR_ZIP_MAX_ENTRIES files, a name vr_zip_name_ok() refuses (a
 * directory, "../x", "/etc/x") or twice, an entry larger than
 * VR_ZIP_MAX_ENTRY or more than VR_ZIP_MAX_TOTAL in all (measured while
 * inflating, not taken from the header), an encrypted entry or one
 * whose CRC does not match.  z is freed by the caller either way.
 */
int		 vr_zip_read(const void *, size_t len, vr_zip_t *z, char *err,
		    size_t errlen);
/* The file called name in z, or NULL. */
const vr_zip_entry_t *vr_zip_find(const vr_zip_t *, const char *name);
void		 vr_zip_free(vr_zip_t *);

#endif
