/*
 * vr_buf: growable NUL-terminated byte buffer.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vr_buf.h"

static int
buf_reserve(vr_buf_t *b, size_t extra)
{
	size_t	 need, ncap;
	char	*p;

	if (extra > ((size_t)-1) / 2 - b->len)
		return -1;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	ncap = b->cap ? b->cap : 256;
	while (ncap < need)
		ncap *= 2;
	if ((p = realloc(b->data, ncap)) == NULL)
		return -1;
	b->data = p;
	b->cap = ncap;
	return 0;
}

int
vr_buf_append(vr_buf_t *b, const void *p, size_t n)
{
	/* The common case, room to spare, without buf_reserve's checks. */
	if (n < b->cap - b->len) {
		if (n > 0)
			memcpy(b->data + b->len, p, n);
		b->len += n;
		b->data[b->len] = '\0';
		return 0;
	}
	if (buf_reserve(b, n) == -1)
		return -1;
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int
vr_buf_puts(vr_buf_t *b, const char *s)
{
	return vr_buf_append(b, s, strlen(s));
}

int
vr_buf_printf(vr_buf_t *b, const char *fmt, ...)
{
	va_list	 ap;
	size_t	 spare;
	int	 n;

	/* Try the spare room first: most lines fit, so one pass is enough. */
	if (buf_reserve(b, 256) == -1)
		return -1;
	spare = b->cap - b->len;
	va_start(ap, fmt);
	n = vsnprintf(b->data + b->len, spare, fmt, ap);
	va_end(ap);
	if (n < 0)
		goto fail;
	if ((size_t)n >= spare) {
		if (buf_reserve(b, (size_t)n) == -1)
			goto fail;
		va_start(ap, fmt);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
	return 0;
fail:
	b->data[b->len] = '\0';
	return -1;
}

char *
vr_uint_text(char buf[VR_INT_TEXT_MAX], uint64_t u)
{
	char	*p = buf + VR_INT_TEXT_MAX - 1;

	*p = '\0';
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	return p;
}

char *
vr_int_text(char buf[VR_INT_TEXT_MAX], int64_t v)
{
	char	*p;

	/* Negate in unsigned arithmetic: -INT64_MIN does not fit int64_t. */
	if (v >= 0)
		return vr_uint_text(buf, (uint64_t)v);
	p = vr_uint_text(buf, -(uint64_t)v);	/* 19 digits at most */
	*--p = '-';
	return p;
}

int
vr_buf_put_int(vr_buf_t *b, int64_t v)
{
	char	 digits[VR_INT_TEXT_MAX];

	return vr_buf_puts(b, vr_int_text(digits, v));
}

char *
vr_buf_space(vr_buf_t *b, size_t n)
{
	return buf_reserve(b, n) == -1 ? NULL : b->data + b->len;
}

void
vr_buf_commit(vr_buf_t *b, size_t m)
{
	b->len += m;
	b->data[b->len] = '\0';
}

void
vr_buf_reset(vr_buf_t *b)
{
	vr_buf_truncate(b, 0);
}

void
vr_buf_truncate(vr_buf_t *b, size_t len)
{
	if (len > b->len)
		return;
	b->len = len;
	if (b->data != NULL)
		b->data[len] = '\0';
}

void
vr_buf_free(vr_buf_t *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

char *
vr_buf_take(vr_buf_t *b)
{
	char	*p;

	if (b->data == NULL && vr_buf_append(b, "", 0) == -1)
		return NULL;
	p = b->data;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

int
vr_buf_put_escaped(vr_buf_t *b, const char *s)
{
	const char	*rep;
	size_t		 run;

	while (*s != '\0') {
		run = strcspn(s, "&<>\"'");
		if (vr_buf_append(b, s, run) == -1)
			return -1;
		s += run;
		if (*s == '\0')
			break;
		switch (*s) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		default:	/* &#39;, not &apos;: HTML 4 lacks that one */
			rep = "&#39;";
			break;
		}
		if (vr_buf_puts(b, rep) == -1)
			return -1;
		s++;
	}
	return 0;
}
