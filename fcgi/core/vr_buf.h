/*
 * vr_buf: a growable byte buffer, always NUL-terminated.
 * Every response body, header block and encoded document is built in one.
 */
#ifndef VR_BUF_H
#define VR_BUF_H

#include <stddef.h>

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
void	 vr_buf_reset(vr_buf_t *);
void	 vr_buf_free(vr_buf_t *);
/* Hands the data to the caller (who frees it) and empties the buffer. */
char	*vr_buf_take(vr_buf_t *);

#endif
