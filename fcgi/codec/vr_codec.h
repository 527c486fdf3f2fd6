/*
 * vr_codec: the two wire formats behind one interface.  Only the files in
 * fcgi/codec include json-c or libxml2; everything else hands them a
 * resource's field table and records.
 *
 * Document shapes (the XML forms are described by the XSD that
 * vr_xsd_generate() writes, shipped as plugin-manifests/schemas/api.xsd):
 *   record  JSON {"name": ..., ...}          XML <vendor xmlns=VR_XMLNS>
 *                                                 <name>..</name>..</vendor>
 *   list    JSON {"items": [..],             XML <vendors xmlns=VR_XMLNS>
 *                 "next_cursor": ".."|null}       <vendor>..</vendor>..
 *                                                 <next_cursor>..</next_cursor>
 *                                               </vendors>
 *   problem the "problem" resource; JSON application/problem+json, XML
 *           application/problem+xml in namespace urn:ietf:rfc:7807.
 * Fields whose value is not present are left out; null is JSON null and
 * XML xsi:nil="true".
 */
#ifndef VR_CODEC_H
#define VR_CODEC_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/vr_buf.h"
#include "../core/vr_err.h"
#include "../core/vr_field.h"

typedef enum vr_format {
	VR_FMT_JSON,
	VR_FMT_XML
} vr_format_e;

/* Limits that apply to every decoded body. */
#define VR_JSON_MAX_DEPTH	32
#define VR_XML_MAX_DEPTH	32
#define VR_NUMBER_MAX_DIGITS	20

/*
 * Decodes a request body into rec (a record of res, fresh from
 * vr_record_new).  Malformed input (syntax, invalid UTF-8, NUL bytes,
 * trailing data, depth, DOCTYPE) is VR_E_MALFORMED; well-formed input
 * that does not fit the table (unknown or duplicate member, wrong type,
 * not an object / wrong root element, schema violation) is VR_E_INVALID
 * with the field named.  Rules of value (length, enum, range) are left
 * to vr_record_validate().  On error rec may hold partial values; the
 * caller frees it either way.
 */
vr_err_e	 vr_json_decode(const vr_resource_t *, const char *body,
		    size_t len, vr_value_t *rec, vr_problem_t *);
vr_err_e	 vr_xml_decode(const vr_resource_t *, const char *body,
		    size_t len, vr_value_t *rec, vr_problem_t *);

/* Encoders append to out; VR_E_INTERNAL only when memory ran out. */
vr_err_e	 vr_json_encode_record(const vr_resource_t *,
		    const vr_value_t *, vr_buf_t *out);
vr_err_e	 vr_json_encode_list(const vr_resource_t *, const vr_list_t *,
		    vr_buf_t *out);
/*
 * One value of field f as JSON, and back: how the store keeps a nested
 * value (sub-record, list, variant) in one column.  Decoding refuses
 * anything that is not such a value (VR_E_INTERNAL: the column was not
 * written by us).
 */
vr_err_e	 vr_json_encode_value(const vr_field_t *, const vr_value_t *,
		    vr_buf_t *out);
vr_err_e	 vr_json_decode_value(const vr_field_t *, const char *text,
		    size_t len, vr_value_t *, vr_problem_t *);
vr_err_e	 vr_xml_encode_record(const vr_resource_t *,
		    const vr_value_t *, vr_buf_t *out);
vr_err_e	 vr_xml_encode_list(const vr_resource_t *, const vr_list_t *,
		    vr_buf_t *out);

/*
 * Process-wide set-up, in the main thread before any worker starts:
 * libxml2 initialisation, depth limit, and compiling the XSD generated
 * from the input resources (NULL-terminated).  Returns 0 or -1.
 */
int		 vr_xml_init(const vr_resource_t *const *inputs);
void		 vr_xml_cleanup(void);

/*
 * The plugin manifest (codec/vr_manifest_xml.c).  known says which
 * roles, guards, effects and workflow resources the program has.
 * Reads path (and schemas/manifest.xsd beside it) into *out, a record of
 * vr_manifest_resource the caller frees, and its bytes into raw.  0, or
 * -1 with "FILE:LINE: message" in err.  Main thread, after vr_xml_init.
 */
typedef struct vr_manifest_names {
	bool	(*role)(const char *);
	bool	(*guard)(const char *);
	bool	(*effect)(const char *);
	bool	(*resource)(const char *);
} vr_manifest_names_t;
int		 vr_manifest_read(const char *path, const vr_manifest_names_t *,
		    vr_value_t **out, vr_buf_t *raw, char *err, size_t errlen);
/* The same from bytes; path names them (and finds the schema). */
int		 vr_manifest_parse(const char *path, const char *data,
		    size_t len, const vr_manifest_names_t *, vr_value_t **out,
		    char *err, size_t errlen);
/* Frees the compiled manifest schema (kept between reads). */
void		 vr_manifest_cleanup(void);

/* Writes the XSD describing every resource in the NULL-terminated list. */
vr_err_e	 vr_xsd_generate(const vr_resource_t *const *, vr_buf_t *out);

/* Dispatch by format. */
vr_err_e	 vr_decode(vr_format_e, const vr_resource_t *, const char *,
		    size_t, vr_value_t *, vr_problem_t *);
vr_err_e	 vr_encode_record(vr_format_e, const vr_resource_t *,
		    const vr_value_t *, vr_buf_t *);
vr_err_e	 vr_encode_list(vr_format_e, const vr_resource_t *,
		    const vr_list_t *, vr_buf_t *);

/*
 * Content negotiation.  vr_format_of_content_type(): JSON for
 * application/json and +json, XML for application/xml, text/xml and
 * +xml (parameters such as charset=utf-8 allowed; other charsets
 * refused); -1 otherwise.  vr_format_of_accept(): the best format an
 * Accept header allows (q-values honoured, JSON preferred on a tie or
 * when absent), or -1 when it allows neither (406).
 */
int		 vr_format_of_content_type(const char *);
int		 vr_format_of_accept(const char *);
const char	*vr_media_type(vr_format_e, int is_problem);

#endif
