/*
 * vr_buf: a growable byte buffer, always NUL-terminated.
 * Every response body, header block and encoded document is built in one.
 */
#ifndef VR_BUF_H
#define VR_BUF_H

#include <stddef.h>
#include <stdint.h>

typedef struct vr_buf {
	char	*data;	/* NUL-terminated; NULL until the first append */
	size_t	 len;	/* bytes used, not counting the NUL */
	size_t	 cap;
} vr_buf_t;

/* Appenders return 0, or -1 when memory ran out (buffer left unchanged). */
int	 vr_buf_append(vr_buf_t *, const void *, size_t);
int	 vr_buf_puts(vr_buf_t *, const char *);
int	 vr_buf_printf(vr_buf_t *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* Appends a decimal integer (without printf; it runs per response). */
int	 vr_buf_put_int(vr_buf_t *, int64_t);
/* Write v in decimal into buf; return where the text starts in buf. */
#define VR_INT_TEXT_MAX	21	/* 20 digits, or sign and 19; NUL */
char	*vr_int_text(char buf[VR_INT_TEXT_MAX], int64_t v);
char	*vr_uint_text(char buf[VR_INT_TEXT_MAX], uint64_t v);
/*
 * For writers that fill bytes themselves: vr_buf_space() makes room for
 * n more bytes and returns where they go (NULL when memory ran out);
 * vr_buf_commit() then adds the m <= n bytes written and ends them with
 * NUL (m may be 0 to write nothing).
 */
char	*vr_buf_space(vr_buf_t *, size_t n);
void	 vr_buf_commit(vr_buf_t *, size_t m);
/* Appends s with & < > " ' escaped, for XML and HTML text and attributes. */
int	 vr_buf_put_escaped(vr_buf_t *, const char *);
void	 vr_buf_reset(vr_buf_t *);
/* Cuts the buffer back to len bytes (len <= its length). */
void	 vr_buf_truncate(vr_buf_t *, size_t len);
void	 vr_buf_free(vr_buf_t *);
/* Hands the data to the caller (who frees it) and empties the buffer. */
char	*vr_buf_take(vr_buf_t *);

#endif
