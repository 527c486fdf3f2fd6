/*
 * vr_xml_private: what the XML readers of fcgi/codec share (they alone
 * include libxml2): the one hardened parse of untrusted XML.
 */
#ifndef VR_XML_PRIVATE_H
#define VR_XML_PRIVATE_H

#include <libxml/tree.h>

#include "../core/vr_err.h"

vr_err_e	 vr_xml_parse_untrusted(const char *, size_t, xmlDocPtr *,
		    vr_problem_t *);

#endif
