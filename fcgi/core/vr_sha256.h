/*
 * vr_sha256: the SHA-256 of a byte string as 64 lower-case hex digits
 * (OpenSSL EVP), for the digests of files the plugin hands out.
 */
#ifndef VR_SHA256_H
#define VR_SHA256_H

#include <stddef.h>

#define VR_SHA256_HEX	65	/* 64 digits and NUL */

/* 0, or -1 when OpenSSL failed (out is then ""). */
int		 vr_sha256_hex(const void *, size_t, char out[VR_SHA256_HEX]);

#endif
