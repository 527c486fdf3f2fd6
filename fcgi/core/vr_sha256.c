/*
 * vr_sha256: SHA-256 in hex, one home for the digest of a whole buffer.
 */
#include <stdio.h>

#include <openssl/evp.h>

#include "vr_sha256.h"

int
vr_sha256_hex(const void *data, size_t len, char out[VR_SHA256_HEX])
{
	unsigned char	 d[EVP_MAX_MD_SIZE];
	unsigned	 n = 0, i;

	out[0] = '\0';
	if (EVP_Digest(data, len, d, &n, EVP_sha256(), NULL) != 1 || n != 32)
		return -1;
	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
	return 0;
}
