/*
 * vr_xsd: writes the XML Schema of our documents from the resources'
 * field tables, so the schema that vr_xml_init() compiles to validate
 * request bodies, the one shipped as plugin-manifests/schemas/api.xsd and
 * the documents the encoders write can never drift apart.
 *
 * One schema document describes one target namespace; vr_xsd_generate()
 * therefore describes the resources of the list whose xmlns equals the
 * first resource's (the lead calls it with the VR_XMLNS resources; the
 * RFC 7807 "problem" resource lives in another namespace).  This file
 * only writes text: it includes no libxml2 header.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "codec/vr_codec.h"

#define XSD_PREFIX	"tns"	/* prefix of the target namespace */

static int	 xsd_doc(vr_buf_t *, const char *, const char *);
static int	 xsd_field(vr_buf_t *, const vr_field_t *);
static int	 xsd_field_type(vr_buf_t *, const vr_field_t *);
static int	 xsd_record_type(vr_buf_t *, const vr_resource_t *);
static int	 xsd_item(vr_buf_t *, const vr_field_t *, size_t);
static int	 xsd_resource(vr_buf_t *, const vr_resource_t *);
static bool	 xsd_seen(const vr_resource_t *const *, size_t);

/* The schema's own documentation: the rules a schema cannot state. */
static const char xsd_intro[] =
    "Documents of the vendor-review API in this namespace.  A record "
    "element holds one child element per field, in any order, each at "
    "most once; a field left out is not given.  xsi:nil=\"true\" gives a "
    "field the value null.  A field may hold a sub-record (its fields as "
    "child elements, the same rules) or a list (one child element per "
    "item, in order); a variant field holds a text or an integer, or "
    "a list of texts as <item> elements.  A list element holds zero or "
    "more records "
    "and then an optional next_cursor (the cursor of the next page; "
    "absent on the last page).  Fields marked 'set by the server' appear "
    "in responses and are refused in requests.  Rules that need the "
    "operation (required fields, version on update, admin-only fields, "
    "field checks) are applied by the server after this schema.  Only "
    "UTF-8 bodies are accepted, without DOCTYPE.";

/* Writes <xs:annotation> with text, then the optional note. */
static int
xsd_doc(vr_buf_t *out, const char *text, const char *note)
{
	if (vr_buf_puts(out, "<xs:annotation><xs:documentation>") == -1 ||
	    vr_buf_put_escaped(out, text != NULL ? text : "") == -1)
		return -1;
	if (note != NULL && note[0] != '\0' &&
	    (vr_buf_puts(out, " (") == -1 || vr_buf_put_escaped(out, note) == -1 ||
	    vr_buf_puts(out, ")") == -1))
		return -1;
	return vr_buf_puts(out, "</xs:documentation></xs:annotation>\n");
}

/* The anonymous simple type of one field element. */
static int
xsd_field_type(vr_buf_t *out, const vr_field_t *f)
{
	const char *const	*ev;

	switch (f->type) {
	case VR_T_INT:
		/* A view's integer (a count, an id) declares no bounds. */
		if (f->min == 0 && f->max == 0)
			return vr_buf_puts(out, "<xs:simpleType>"
			    "<xs:restriction base=\"xs:long\"/>"
			    "</xs:simpleType>\n");
		return vr_buf_printf(out, "<xs:simpleType>"
		    "<xs:restriction base=\"xs:long\">"
		    "<xs:minInclusive value=\"%" PRId64 "\"/>"
		    "<xs:maxInclusive value=\"%" PRId64 "\"/>"
		    "</xs:restriction></xs:simpleType>\n", f->min, f->max);
	case VR_T_BOOL:
		return vr_buf_puts(out, "<xs:simpleType>"
		    "<xs:restriction base=\"xs:boolean\"/>"
		    "</xs:simpleType>\n");
	case VR_T_TEXT:
		/* XSD counts a string's length in characters, as we do. */
		if (f->max_chars == 0)
			return vr_buf_puts(out, "<xs:simpleType>"
			    "<xs:restriction base=\"xs:string\"/>"
			    "</xs:simpleType>\n");
		/* What the client sends: before a normalize shortens it. */
		return vr_buf_printf(out, "<xs:simpleType>"
		    "<xs:restriction base=\"xs:string\">"
		    "<xs:maxLength value=\"%zu\"/>"
		    "</xs:restriction></xs:simpleType>\n", f->max_input > 0 ?
		    f->max_input : f->max_chars);
	case VR_T_ENUM:
		if (vr_buf_puts(out, "<xs:simpleType>"
		    "<xs:restriction base=\"xs:string\">\n") == -1)
			return -1;
		for (ev = f->enum_values; ev != NULL && *ev != NULL; ev++)
			if (vr_buf_puts(out, "<xs:enumeration value=\"") ==
			    -1 || vr_buf_put_escaped(out, *ev) == -1 ||
			    vr_buf_puts(out, "\"/>\n") == -1)
				return -1;
		return vr_buf_puts(out,
		    "</xs:restriction></xs:simpleType>\n");
	case VR_T_TIME:
		/* Written by the server only, in its one format. */
		return vr_buf_puts(out, "<xs:simpleType>"
		    "<xs:restriction base=\"xs:string\"/>"
		    "</xs:simpleType>\n");
	case VR_T_DATE:
		/* xs:date alone would allow time zones and 5-digit years. */
		return vr_buf_puts(out, "<xs:simpleType>"
		    "<xs:restriction base=\"xs:date\">"
		    "<xs:pattern value=\"[0-9]{4}-[0-9]{2}-[0-9]{2}\"/>"
		    "</xs:restriction></xs:simpleType>\n");
	case VR_T_RECORD:
		return xsd_record_type(out, f->sub);
	case VR_T_LIST:
		return vr_buf_puts(out, "<xs:complexType><xs:sequence>\n") ==
		    -1 || xsd_item(out, f->items, f->max_items) == -1 ||
		    vr_buf_puts(out, "</xs:sequence></xs:complexType>\n") ==
		    -1 ? -1 : 0;
	case VR_T_VARIANT:
		/* A text or integer as content, or a list as <item>s. */
		return vr_buf_printf(out, "<xs:complexType mixed=\"true\">"
		    "<xs:sequence><xs:element name=\"item\" "
		    "type=\"xs:string\" minOccurs=\"0\" maxOccurs=\"%zu\"/>"
		    "</xs:sequence></xs:complexType>\n", f->max_items ?
		    f->max_items : VR_LIST_MAX_ITEMS);
	}
	return -1;
}

/*
 * A record that holds itself (a tree: a subcontract node's own
 * subcontracts) cannot be written out inline; it gets a named type at
 * the end of the schema, which its elements refer to.  Generation runs
 * in one thread at start-up, so the list is the file's.
 */
#define XSD_NAMED_MAX	16
static const vr_resource_t	*named[XSD_NAMED_MAX];
static size_t			 nnamed;

static const vr_resource_t *
sub_of(const vr_field_t *f)
{
	if (f->type == VR_T_RECORD)
		return f->sub;
	if (f->type == VR_T_LIST && f->items != NULL &&
	    f->items->type == VR_T_RECORD)
		return f->items->sub;
	return NULL;
}

/* Whether target is reachable from the fields of from. */
static bool
reaches(const vr_resource_t *from, const vr_resource_t *target, int depth)
{
	const vr_resource_t	*s;
	size_t			 i;

	if (depth > 8)
		return false;
	for (i = 0; i < from->nfields; i++)
		if ((s = sub_of(&from->fields[i])) != NULL && (s == target ||
		    reaches(s, target, depth + 1)))
			return true;
	return false;
}

/* The named type a recursive record's elements refer to, or NULL. */
static const vr_resource_t *
named_type(const vr_resource_t *sub)
{
	size_t	 i;

	if (sub == NULL || !reaches(sub, sub, 0))
		return NULL;
	for (i = 0; i < nnamed; i++)
		if (named[i] == sub)
			return sub;
	if (nnamed == XSD_NAMED_MAX)
		return NULL;
	named[nnamed++] = sub;
	return sub;
}

/* The anonymous type of a sub-record: one optional element per field. */
static int
xsd_record_type(vr_buf_t *out, const vr_resource_t *sub)
{
	size_t	 i;

	if (vr_buf_puts(out, "<xs:complexType><xs:all>\n") == -1)
		return -1;
	for (i = 0; i < sub->nfields; i++)
		if (!(sub->fields[i].flags & VR_F_HIDDEN) &&
		    xsd_field(out, &sub->fields[i]) == -1)
			return -1;
	return vr_buf_puts(out, "</xs:all></xs:complexType>\n");
}

/* The repeated item element of a list. */
static int
xsd_item(vr_buf_t *out, const vr_field_t *it, size_t max)
{
	const vr_resource_t	*n = it->type == VR_T_RECORD ?
				    named_type(it->sub) : NULL;

	if (vr_buf_puts(out, "<xs:element name=\"") == -1 ||
	    vr_buf_put_escaped(out, it->name) == -1 ||
	    vr_buf_printf(out, "\" minOccurs=\"0\" maxOccurs=\"%zu\"",
	    max ? max : VR_LIST_MAX_ITEMS) == -1 ||
	    (n != NULL && vr_buf_printf(out, " type=\"" XSD_PREFIX
	    ":%sType\"", n->name) == -1) ||
	    vr_buf_puts(out, ">\n") == -1 ||
	    xsd_doc(out, it->doc, NULL) == -1 ||
	    (n == NULL && xsd_field_type(out, it) == -1))
		return -1;
	return vr_buf_puts(out, "</xs:element>\n");
}

/* One optional, nillable child element of a record. */
static int
xsd_field(vr_buf_t *out, const vr_field_t *f)
{
	const vr_resource_t	*n;
	char			 note[128];

	note[0] = '\0';
	if (f->flags & VR_F_SERVER)
		strcat(note, "set by the server; ");
	if (f->flags & VR_F_REQUIRED)
		strcat(note, "required on create; ");
	if (f->flags & VR_F_VERSION)
		strcat(note, "required on update; ");
	if (f->flags & VR_F_FIXED)
		strcat(note, "fixed once created; ");
	if (f->flags & VR_F_ADMIN)
		strcat(note, "admin only; ");
	if (f->flags & VR_F_NULLABLE)
		strcat(note, "may be null; ");
	if (note[0] != '\0')
		note[strlen(note) - 2] = '\0';	/* drop the last "; " */

	n = f->type == VR_T_RECORD ? named_type(f->sub) : NULL;
	if (vr_buf_puts(out, "<xs:element name=\"") == -1 ||
	    vr_buf_put_escaped(out, f->name) == -1 ||
	    vr_buf_puts(out, "\" minOccurs=\"0\" nillable=\"true\"") == -1 ||
	    (n != NULL && vr_buf_printf(out, " type=\"" XSD_PREFIX
	    ":%sType\"", n->name) == -1) ||
	    vr_buf_puts(out, ">\n") == -1 ||
	    xsd_doc(out, f->doc, note) == -1 ||
	    (n == NULL && xsd_field_type(out, f) == -1) ||
	    vr_buf_puts(out, "</xs:element>\n") == -1)
		return -1;
	return 0;
}

/* The record element and type, and the list element and type. */
static int
xsd_resource(vr_buf_t *out, const vr_resource_t *res)
{
	size_t	 i;

	if (vr_buf_printf(out, "<xs:element name=\"%s\" type=\"" XSD_PREFIX
	    ":%sType\">\n", res->name, res->name) == -1 ||
	    xsd_doc(out, "One record of this resource.", NULL) == -1 ||
	    vr_buf_printf(out, "</xs:element>\n<xs:complexType name=\"%sType\">"
	    "<xs:all>\n", res->name) == -1)
		return -1;
	for (i = 0; i < res->nfields; i++)
		if (!(res->fields[i].flags & VR_F_HIDDEN) &&
		    xsd_field(out, &res->fields[i]) == -1)
			return -1;
	if (vr_buf_puts(out, "</xs:all></xs:complexType>\n") == -1)
		return -1;
	if (res->plural == NULL)
		return 0;
	if (vr_buf_printf(out, "<xs:element name=\"%s\" type=\"" XSD_PREFIX
	    ":%sListType\">\n", res->plural, res->name) == -1 ||
	    xsd_doc(out, "One page of records, then the cursor of the next "
	    "page.", NULL) == -1 ||
	    vr_buf_printf(out, "</xs:element>\n"
	    "<xs:complexType name=\"%sListType\"><xs:sequence>\n"
	    "<xs:element ref=\"" XSD_PREFIX ":%s\" minOccurs=\"0\" "
	    "maxOccurs=\"unbounded\"/>\n"
	    "<xs:element name=\"next_cursor\" type=\"xs:string\" "
	    "minOccurs=\"0\" nillable=\"true\">\n", res->name, res->name) ==
	    -1 ||
	    xsd_doc(out, "Opaque cursor: pass it back to get the next page; "
	    "absent on the last page.", NULL) == -1 ||
	    vr_buf_puts(out, "</xs:element>\n</xs:sequence>"
	    "</xs:complexType>\n") == -1)
		return -1;
	return 0;
}

/* Whether a resource of the same name came earlier in the list. */
static bool
xsd_seen(const vr_resource_t *const *list, size_t i)
{
	size_t	 j;

	for (j = 0; j < i; j++)
		if (strcmp(list[j]->name, list[i]->name) == 0)
			return true;
	return false;
}

/*
 * Writes to out the schema of the resources in the NULL-terminated list
 * that share the first resource's namespace (others are skipped, as are
 * repeated names).  Returns VR_OK, or VR_E_INTERNAL when memory ran out
 * or the list is empty or its first resource has no namespace.  On error
 * out may hold part of the schema.
 */
vr_err_e
vr_xsd_generate(const vr_resource_t *const *list, vr_buf_t *out)
{
	const char	*ns;
	size_t		 i, j;

	if (list == NULL || list[0] == NULL || list[0]->xmlns == NULL)
		return VR_E_INTERNAL;
	ns = list[0]->xmlns;

	if (vr_buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"\n"
	    "    xmlns:" XSD_PREFIX "=\"") == -1 ||
	    vr_buf_put_escaped(out, ns) == -1 ||
	    vr_buf_puts(out, "\"\n    targetNamespace=\"") == -1 ||
	    vr_buf_put_escaped(out, ns) == -1 ||
	    vr_buf_puts(out, "\"\n    elementFormDefault=\"qualified\">\n")
	    == -1 ||
	    xsd_doc(out, xsd_intro, NULL) == -1)
		return VR_E_INTERNAL;

	nnamed = 0;
	for (i = 0; list[i] != NULL; i++) {
		if (list[i]->xmlns == NULL || strcmp(list[i]->xmlns, ns) != 0 ||
		    xsd_seen(list, i))
			continue;
		if (xsd_resource(out, list[i]) == -1)
			return VR_E_INTERNAL;
	}
	/* The named types of recursive records (the list may grow). */
	for (i = 0; i < nnamed; i++) {
		if (vr_buf_printf(out, "<xs:complexType name=\"%sType\">"
		    "<xs:all>\n", named[i]->name) == -1)
			return VR_E_INTERNAL;
		for (j = 0; j < named[i]->nfields; j++)
			if (!(named[i]->fields[j].flags & VR_F_HIDDEN) &&
			    xsd_field(out, &named[i]->fields[j]) == -1)
				return VR_E_INTERNAL;
		if (vr_buf_puts(out, "</xs:all></xs:complexType>\n") == -1)
			return VR_E_INTERNAL;
	}
	if (vr_buf_puts(out, "</xs:schema>\n") == -1)
		return VR_E_INTERNAL;
	return VR_OK;
}
