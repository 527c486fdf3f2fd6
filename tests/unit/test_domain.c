/*
 * test_domain: the corporate-number check digit, the risk-tier rule and
 * the clause the supervision record names for it, the field-table
 * validator, the ZIP reader's file names, the identity group mapping and
 * the calendar arithmetic, table-driven.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/vr_zip.h"
#include "core/vr_date.h"
#include "core/vr_field.h"
#include "domain/vr_corpnum.h"
#include "domain/vr_incident.h"
#include "domain/vr_namefold.h"
#include "domain/vr_tier.h"
#include "domain/vr_vendor.h"
#include "domain/vr_write.h"
#include "http/vr_identity.h"
#include "model/vr_model.h"
#include "resources/vr_resources.h"

#include "unit_check.h"

static void
test_corpnum(void)
{
	static const struct { const char *s; int ok; } t[] = {
		{ "7000012050002", 1 },	/* National Tax Agency */
		{ "1180301018771", 1 },
		{ "2120901007402", 1 },
		{ "4011001098993", 1 },
		{ "8000012050002", 0 },	/* wrong check digit */
		{ "700001205000", 0 },	/* 12 digits */
		{ "70000120500021", 0 },	/* 14 digits */
		{ "700001205000a", 0 },
		{ " 700001205000", 0 },
		{ "", 0 },
		{ "７000012050002", 0 },	/* full-width digit */
	};
	size_t	 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		CHECK((vr_corpnum_check(t[i].s) == NULL) == t[i].ok,
		    "corpnum %s should be %s", t[i].s,
		    t[i].ok ? "valid" : "invalid");
}

/* What people type, and the 13 digits the check then sees. */
static void
test_corpnum_normalize(void)
{
	static const struct { const char *in, *out; } t[] = {
		{ "7000012050002", "7000012050002" },
		{ "7000-01-205-0002", "7000012050002" },
		{ "7000 0120 50002", "7000012050002" },
		{ "７００００１２０５０００２", "7000012050002" },
		{ "７０００－０１－２０５－０００２", "7000012050002" },
		{ "7000\xe3\x80\x80" "012050002", "7000012050002" },	/* U+3000 */
		{ "7000\xe2\x80\x90" "012050002", "7000012050002" },	/* U+2010 */
		{ "7000\xe2\x88\x92" "012050002", "7000012050002" },	/* U+2212 */
		{ " 7000012050002 ", "7000012050002" },
		{ "700001205000a", "700001205000a" },	/* left for the check */
		{ "7000.0120.50002", "7000.0120.50002" },
		{ "７000012050002x", "7000012050002x" },
		{ "－ 　", "" },
		{ "", "" },
	};
	char	 buf[64];
	size_t	 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(buf, sizeof(buf), "%s", t[i].in);
		vr_corpnum_normalize(buf);
		CHECK(strcmp(buf, t[i].out) == 0, "corpnum normalize %s: "
		    "want %s, got %s", t[i].in, t[i].out, buf);
	}
}

/* A search query as the register's search_text holds names. */
static void
test_namefold(void)
{
	static const struct { const char *in, *out; } t[] = {
		{ "株式会社サンプル", "サンプル" },
		{ "(株)サンプル", "サンプル" },
		{ "（株）サンプル", "サンプル" },
		{ "㈱サンプル", "サンプル" },
		{ "株式会社 サンプル", "サンプル" },
		{ "株式会社\xe3\x80\x80サンプル", "サンプル" },
		{ "サンプル株式会社", "サンプル" },
		{ "サンプル（有）", "サンプル" },
		{ "合同会社サンプル", "サンプル" },
		{ "一般社団法人 サンプル協会", "サンプル協会" },
		{ "カブシキガイシャサンプル", "サンプル" },
		{ "株式 会社サンプル", "サンプル" },	/* spaces go first */
		{ "7000-01-205-0002", "7000012050002" },
		{ "霞が関1－2－3", "霞が関123" },
		{ "a\x1f" "b\tc", "abc" },		/* never the separator */
		{ "株式会社", "" },
		{ "(株", "(株" },
		{ "100%_off\\", "100%_off\\" },	/* LIKE escapes them later */
		/* REPLACE() never rescans a join: neither does the fold. */
		{ "株株式会社式会社", "株式会社" },
		{ "", "" },
	};
	char	 buf[128];
	size_t	 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(buf, sizeof(buf), "%s", t[i].in);
		vr_namefold(buf);
		CHECK(strcmp(buf, t[i].out) == 0, "namefold %s: want %s, got %s",
		    t[i].in, t[i].out, buf);
	}
}

static void
test_tier(void)
{
	static const struct {
		vr_risk_profile_t	 r;
		const char		*tier;
	} t[] = {
		{ { "none", 0, 0, 0, 0, 0 }, "low" },
		{ { "none", 0, 0, 0, 0, 1 }, "low" },
		{ { "none", 0, 0, 1, 0, 0 }, "medium" },
		{ { "none", 0, 0, 0, 1, 0 }, "medium" },
		{ { "le_1000", 0, 0, 0, 0, 0 }, "medium" },
		{ { "le_1000", 0, 0, 0, 1, 1 }, "medium" },
		{ { "le_100000", 0, 0, 0, 0, 0 }, "medium" },
		{ { "le_100000", 0, 0, 0, 1, 0 }, "high" },
		{ { "le_100000", 0, 0, 0, 0, 1 }, "high" },
		{ { "gt_100000", 0, 0, 0, 0, 0 }, "high" },
		{ { "none", 1, 0, 0, 0, 0 }, "high" },
		{ { "le_1000", 0, 1, 0, 0, 0 }, "high" },
		{ { NULL, 0, 0, 0, 0, 0 }, "low" },
	};
	size_t	 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		CHECK(strcmp(vr_tier_of(&t[i].r), t[i].tier) == 0,
		    "tier case %zu: got %s, want %s", i, vr_tier_of(&t[i].r),
		    t[i].tier);
}

/*
 * The clause vr_tier_rule() names gives the tier vr_tier_of() gives, for
 * every profile (4 bands x 2^5 flags): the two cannot drift apart.
 */
static void
test_tier_rule(void)
{
	vr_risk_profile_t	 r;
	const char		*ja, *en, *tier;
	unsigned		 b, m, bad = 0;

	for (b = 0; vr_personal_data_bands[b] != NULL; b++)
		for (m = 0; m < 32; m++) {
			r.personal_data = vr_personal_data_bands[b];
			r.special_care_data = m & 1;
			r.payment_data = m & 2;
			r.confidential_data = m & 4;
			r.system_access = m & 8;
			r.offsite_work = m & 16;
			tier = vr_tier_of(&r);
			vr_tier_rule(&r, &ja, &en);
			if (strncmp(en, tier, strlen(tier)) != 0 ||
			    en[strlen(tier)] != ':' || ja[0] == '\0')
				bad++;
		}
	CHECK(bad == 0, "%u profiles whose rule clause is not their tier's",
	    bad);
}

static void
test_zip_names(void)
{
	static const struct {
		const char	*name;
		int		 ok;
	} t[] = {
		{ "record.json", 1 }, { "SHA256SUMS", 1 },
		{ "audit-log.json", 1 }, { "a_b-c.1", 1 }, { "", 0 },
		{ ".hidden", 0 }, { "..", 0 }, { "../x", 0 },
		{ "/etc/passwd", 0 }, { "dir/x", 0 }, { "dir\\x", 0 },
		{ "C:x", 0 }, { "a b", 0 }, { "\xe5\x90\x8d", 0 }, { "x\n", 0 },
	};
	char	 name[VR_ZIP_NAME_MAX + 2];
	size_t	 i;

	/* The longest name is fine, one more character is not. */
	memset(name, 'a', sizeof(name));
	name[VR_ZIP_NAME_MAX] = '\0';
	CHECK(vr_zip_name_ok(name), "a name of %d characters", VR_ZIP_NAME_MAX);
	name[VR_ZIP_NAME_MAX] = 'a';
	name[VR_ZIP_NAME_MAX + 1] = '\0';
	CHECK(!vr_zip_name_ok(name), "a name of %d characters",
	    VR_ZIP_NAME_MAX + 1);

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		CHECK(vr_zip_name_ok(t[i].name) == t[i].ok,
		    "zip name \"%s\": want %d", t[i].name, t[i].ok);
}

/* One validation case: fields to set (name=value, bools/ints as digits). */
struct vcase {
	const char	*set[4][2];
	vr_mode_e	 mode;
	int		 admin;
	vr_err_e	 want;
	const char	*code;
	const char	*field;
};

static void
set_field(vr_value_t *rec, const char *name, const char *val)
{
	int	 i = vr_field_index(&vr_vendor_resource, name, strlen(name));
	const vr_field_t *f = &vr_vendor_resource.fields[i];

	if (val == NULL)
		vr_value_set_null(&rec[i]);
	else if (f->type == VR_T_INT || f->type == VR_T_BOOL)
		vr_value_set_int(&rec[i], strtoll(val, NULL, 10));
	else
		vr_value_set_text(&rec[i], val, strlen(val));
}

static void
test_validate(void)
{
	static char	 long201[202];
	/* 200 three-byte characters: 600 bytes, still within 200 chars. */
	static char	 kana200[601];
	static const struct vcase t[] = {
		{ { { "name", "株式会社サンプル" } }, VR_MODE_CREATE, 0, VR_OK, NULL, NULL },
		{ { { "name_kana", "カブシキガイシャ" } }, VR_MODE_CREATE, 0, VR_E_INVALID, "required", "name" },
		{ { { "name", "" } }, VR_MODE_CREATE, 0, VR_E_INVALID, "required", "name" },
		{ { { "name", long201 } }, VR_MODE_CREATE, 0, VR_E_INVALID, "too_long", "name" },
		{ { { "name", kana200 } }, VR_MODE_CREATE, 0, VR_OK, NULL, NULL },
		{ { { "name", "a\x01" "b" } }, VR_MODE_CREATE, 0, VR_E_INVALID, "invalid_value", "name" },
		{ { { "name", "\xc0\xaf" } }, VR_MODE_CREATE, 0, VR_E_INVALID, "invalid_utf8", "name" },
		{ { { "name", "x" }, { "corporate_number", "8000012050002" } }, VR_MODE_CREATE, 0, VR_E_INVALID, "invalid_value", "corporate_number" },
		{ { { "name", "x" }, { "corporate_number", "7000012050002" } }, VR_MODE_CREATE, 0, VR_OK, NULL, NULL },
		{ { { "name", "x" }, { "corporate_number", "" } }, VR_MODE_CREATE, 0, VR_OK, NULL, NULL },
		{ { { "name", "x" }, { "corporate_number", "７０００－０１２０－５０００２" } }, VR_MODE_CREATE, 0, VR_OK, NULL, NULL },
		{ { { "name", "x" }, { "corporate_number", "8000-0120-50002" } }, VR_MODE_CREATE, 0, VR_E_INVALID, "invalid_value", "corporate_number" },
		{ { { "name", "x" }, { "corporate_number", "7000-0120-5000-2----------------------------" } }, VR_MODE_CREATE, 0, VR_E_INVALID, "too_long", "corporate_number" },
		{ { { "name", "   " } }, VR_MODE_CREATE, 0, VR_E_INVALID, "invalid_value", "name" },
		{ { { "name", "\xe3\x80\x80 \xe3\x80\x80" } }, VR_MODE_CREATE, 0, VR_E_INVALID, "invalid_value", "name" },
		{ { { "name", " \xe3\x80\x80x" } }, VR_MODE_CREATE, 0, VR_OK, NULL, NULL },
		{ { { "version", "3" }, { "name", "\xe3\x80\x80" } }, VR_MODE_UPDATE, 0, VR_E_INVALID, "invalid_value", "name" },
		{ { { "name", "x" }, { "contract_type", "haken" } }, VR_MODE_CREATE, 0, VR_E_INVALID, "invalid_value", "contract_type" },
		{ { { "name", "x" }, { "contract_type", "jun_inin" } }, VR_MODE_CREATE, 0, VR_OK, NULL, NULL },
		{ { { "name", "x" }, { "contact_email", "a@b@c" } }, VR_MODE_CREATE, 0, VR_E_INVALID, "invalid_value", "contact_email" },
		{ { { "name", "x" }, { "tier", "low" } }, VR_MODE_CREATE, 0, VR_E_INVALID, "read_only", "tier" },
		{ { { "name", "x" }, { "id", "5" } }, VR_MODE_CREATE, 0, VR_E_INVALID, "read_only", "id" },
		{ { { "name", "x" }, { "version", "1" } }, VR_MODE_CREATE, 0, VR_E_INVALID, "read_only", "version" },
		{ { { "name", "x" }, { "status", "approved" } }, VR_MODE_CREATE, 0, VR_E_FORBIDDEN, "admin_only", "status" },
		{ { { "name", "x" }, { "status", "approved" } }, VR_MODE_CREATE, 1, VR_OK, NULL, NULL },
		{ { { "name", "x" }, { "status", "deleted" } }, VR_MODE_CREATE, 1, VR_E_INVALID, "invalid_value", "status" },
		{ { { "name", "x" }, { "personal_data", NULL } }, VR_MODE_CREATE, 0, VR_E_INVALID, "null_not_allowed", "personal_data" },
		{ { { "name", "y" } }, VR_MODE_UPDATE, 0, VR_E_INVALID, "required", "version" },
		{ { { "version", "3" } }, VR_MODE_UPDATE, 0, VR_OK, NULL, NULL },
		{ { { "version", "0" } }, VR_MODE_UPDATE, 0, VR_E_INVALID, "out_of_range", "version" },
		{ { { "version", "3" }, { "name", NULL } }, VR_MODE_UPDATE, 0, VR_E_INVALID, "null_not_allowed", "name" },
		{ { { "version", "3" }, { "name_kana", NULL } }, VR_MODE_UPDATE, 0, VR_OK, NULL, NULL },
		{ { { "version", "3" }, { "created_by", "eve" } }, VR_MODE_UPDATE, 0, VR_E_INVALID, "read_only", "created_by" },
	};
	vr_problem_t	 p;
	vr_value_t	*rec;
	vr_err_e	 e;
	size_t		 i, k;

	memset(long201, 'a', 201);
	for (i = 0; i < 200; i++)
		memcpy(kana200 + 3 * i, "\xe3\x82\xa2", 3);	/* ア */
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		rec = vr_record_new(&vr_vendor_resource);
		for (k = 0; k < 4 && t[i].set[k][0] != NULL; k++)
			set_field(rec, t[i].set[k][0], t[i].set[k][1]);
		vr_problem_clear(&p);
		e = vr_record_validate(&vr_vendor_resource, rec, t[i].mode,
		    t[i].admin, &p);
		CHECK(e == t[i].want && (t[i].code == NULL ||
		    strcmp(p.code, t[i].code) == 0) && (t[i].field == NULL ||
		    strcmp(p.field, t[i].field) == 0),
		    "validate case %zu: got %d %s %s (%s)", i, e,
		    p.code ? p.code : "-", p.field, p.detail);
		vr_record_free(&vr_vendor_resource, rec);
	}
}

/* A VR_F_FIXED field (an assessment's kind, vendor_id) is given on create only. */
static void
test_validate_fixed(void)
{
	static const struct {
		int		 field;		/* AS_..., or -1 */
		vr_mode_e	 mode;
		vr_err_e	 want;
		const char	*bad;		/* the field named, or NULL */
	} t[] = {
		{ -1, VR_MODE_CREATE, VR_OK, NULL },
		{ AS_HOST_REF, VR_MODE_UPDATE, VR_OK, NULL },
		{ AS_KIND, VR_MODE_UPDATE, VR_E_INVALID, "kind" },
		{ AS_VENDOR_ID, VR_MODE_UPDATE, VR_E_INVALID, "vendor_id" },
	};
	const vr_resource_t	*r = &vr_assessment_resource;
	vr_problem_t		 p;
	vr_value_t		*rec;
	vr_err_e		 e;
	size_t			 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		rec = vr_record_new(r);
		if (t[i].mode == VR_MODE_CREATE) {
			vr_value_set_text(&rec[AS_KIND], "onboarding", 10);
			vr_value_set_int(&rec[AS_VENDOR_ID], 7);
		} else {
			vr_value_set_int(&rec[AS_VERSION], 2);
			if (t[i].field == AS_VENDOR_ID)
				vr_value_set_int(&rec[AS_VENDOR_ID], 8);
			else
				vr_value_set_text(&rec[t[i].field], t[i].field ==
				    AS_KIND ? "periodic_audit" : "RT-1", t[i].field ==
				    AS_KIND ? 14 : 4);
		}
		vr_problem_clear(&p);
		e = vr_record_validate(r, rec, t[i].mode, 0, &p);
		CHECK(e == t[i].want && (t[i].bad == NULL ||
		    (strcmp(p.code, "read_only") == 0 &&
		    strcmp(p.field, t[i].bad) == 0)),
		    "fixed case %zu: got %d %s %s", i, e, p.code ? p.code : "-",
		    p.field);
		vr_record_free(r, rec);
	}
}

/* The validator lists every invalid field (vr_fail_more), bounded. */
static void
test_validate_all(void)
{
	vr_problem_t	 p;
	vr_value_t	*rec;
	vr_err_e	 e;
	int		 i;

	rec = vr_record_new(&vr_vendor_resource);
	set_field(rec, "name", "");
	set_field(rec, "personal_data", "bogus");
	set_field(rec, "contact_email", "x");
	vr_problem_clear(&p);
	e = vr_record_validate(&vr_vendor_resource, rec, VR_MODE_CREATE, 0, &p);
	CHECK(e == VR_E_INVALID && p.nerrors == 3 && !p.errors_cut &&
	    strcmp(p.errors[0].field, "name") == 0 &&
	    strcmp(p.errors[1].field, "contact_email") == 0 &&
	    strcmp(p.errors[2].field, "personal_data") == 0 &&
	    strcmp(p.errors[2].code, "invalid_value") == 0 &&
	    strstr(p.errors[2].detail, "none, le_1000") != NULL,
	    "three invalid fields listed: %d %zu %s", e, p.nerrors, p.detail);
	CHECK(strcmp(p.field, p.errors[0].field) == 0 &&
	    strcmp(p.code, p.errors[0].code) == 0 &&
	    strcmp(p.detail, p.errors[0].detail) == 0,
	    "the first error is the problem's own: %s %s", p.field, p.code);
	vr_record_free(&vr_vendor_resource, rec);

	/* A 403 after a 422 is not listed beside it; the 422 stands. */
	rec = vr_record_new(&vr_vendor_resource);
	set_field(rec, "name", "");
	set_field(rec, "status", "approved");
	vr_problem_clear(&p);
	e = vr_record_validate(&vr_vendor_resource, rec, VR_MODE_CREATE, 0, &p);
	CHECK(e == VR_E_INVALID && p.err == VR_E_INVALID && p.nerrors == 1,
	    "422 then admin_only: %d %zu %s", e, p.nerrors, p.code);
	vr_record_free(&vr_vendor_resource, rec);

	/* The bound: 50 listed, then errors_cut. */
	vr_problem_clear(&p);
	for (i = 0; i < 60; i++)
		vr_fail_more(&p, VR_E_INVALID, "required", "f", "e%d", i);
	CHECK(p.nerrors == VR_PROBLEM_ERRORS_MAX && p.errors_cut &&
	    vr_problem_full(&p) && strcmp(p.detail, "e0") == 0 &&
	    strcmp(p.errors[49].detail, "e49") == 0,
	    "bounded: %zu cut %d", p.nerrors, p.errors_cut);

	/* After a plain vr_fail, nothing more is listed. */
	vr_problem_clear(&p);
	vr_fail(&p, VR_E_CONFLICT, "stale_version", NULL, "stale");
	vr_fail_more(&p, VR_E_CONFLICT, "other", "f", "x");
	CHECK(p.nerrors == 0 && strcmp(p.code, "stale_version") == 0 &&
	    vr_problem_full(&p), "vr_fail first: %zu %s", p.nerrors, p.code);
}

static void
test_new_vendor(void)
{
	vr_value_t	*rec = vr_record_new(&vr_vendor_resource);
	vr_actor_t	 who = { "requester1", VR_ROLE_REQUESTER, "r" };
	vr_problem_t	 p;

	vr_problem_clear(&p);
	CHECK(vr_store_init(&vr_vendor_store) == 0, "vendor statements");
	set_field(rec, "name", "x");
	set_field(rec, "payment_data", "1");
	CHECK(vr_write_prepare_new(NULL, &vr_vendor_store, &who, rec,
	    "2026-11-25T00:00:00.000000Z", &p) == VR_OK, "prepare");
	CHECK(strcmp(rec[VF_TIER].s, "high") == 0, "payment data is high");
	CHECK(strcmp(rec[VF_STATUS].s, "candidate") == 0, "new is candidate");
	CHECK(strcmp(rec[VF_PERSONAL_DATA].s, "none") == 0, "default band");
	CHECK(rec[VF_SYSTEM_ACCESS].present && rec[VF_SYSTEM_ACCESS].i == 0,
	    "flags default false");
	CHECK(rec[VF_VERSION].i == 1, "version starts at 1");
	vr_record_free(&vr_vendor_resource, rec);
}

static void
test_groups(void)
{
	vr_group_role_t	 map[] = {
		{ "requesters", VR_ROLE_REQUESTER },
		{ "Security Team", VR_ROLE_REVIEWER },
		{ "admins", VR_ROLE_ADMIN | VR_ROLE_AUDITOR },
	};
	vr_config_t	 cfg;
	static const struct { const char *g; unsigned want; } t[] = {
		{ "requesters", VR_ROLE_REQUESTER },
		{ " requesters , admins ", VR_ROLE_REQUESTER | VR_ROLE_ADMIN |
		    VR_ROLE_AUDITOR },
		{ "Security Team", VR_ROLE_REVIEWER },
		{ "security team", 0 },
		{ "requesters2", 0 },
		{ "requester", 0 },
		{ "", 0 },
		{ ",,,", 0 },
		{ "unknown,requesters", VR_ROLE_REQUESTER },
	};
	size_t		 i;

	/* LDAP DNs hold commas: the host lists them with another separator. */
	vr_group_role_t	 dns[] = {
		{ "CN=Staff,OU=Groups,DC=example", VR_ROLE_REQUESTER },
		{ "Domain Users", VR_ROLE_REVIEWER },
	};
	static const struct { char sep; const char *g; unsigned want; } u[] = {
		{ ';', "CN=Staff,OU=Groups,DC=example; Domain Users",
		    VR_ROLE_REQUESTER | VR_ROLE_REVIEWER },
		{ ';', "CN=Staff,OU=Groups,DC=example,Domain Users", 0 },
		{ '|', "x|Domain Users|y", VR_ROLE_REVIEWER },
		{ '\t', "Domain Users\tCN=Staff,OU=Groups,DC=example",
		    VR_ROLE_REQUESTER | VR_ROLE_REVIEWER },
		{ ',', "CN=Staff,OU=Groups,DC=example", 0 },
		/* No separator set (a hand-made config): one group, read safely. */
		{ '\0', "Domain Users", VR_ROLE_REVIEWER },
	};

	memset(&cfg, 0, sizeof(cfg));
	cfg.group_roles = map;
	cfg.ngroup_roles = 3;
	cfg.groups_separator = ',';
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		CHECK(vr_identity_roles(&cfg, t[i].g) == t[i].want,
		    "groups \"%s\": got %#x want %#x", t[i].g,
		    vr_identity_roles(&cfg, t[i].g), t[i].want);
	cfg.group_roles = dns;
	cfg.ngroup_roles = 2;
	for (i = 0; i < sizeof(u) / sizeof(u[0]); i++) {
		cfg.groups_separator = u[i].sep;
		CHECK(vr_identity_roles(&cfg, u[i].g) == u[i].want,
		    "groups \"%s\" by '%c': got %#x want %#x", u[i].g,
		    u[i].sep, vr_identity_roles(&cfg, u[i].g), u[i].want);
	}
}

/* Worked by hand: month ends, leap years, year ends, Tokyo's offset. */
static void
test_date(void)
{
	static const struct { const char *d; unsigned m; const char *want; } pm[] = {
		{ "2026-01-31", 1, "2026-02-28" },
		{ "2028-01-31", 1, "2028-02-29" },	/* leap year */
		{ "2100-01-31", 1, "2100-02-28" },	/* not one */
		{ "2000-02-29", 12, "2001-02-28" },
		{ "2026-11-30", 2, "2027-01-30" },
		{ "2026-12-01", 36, "2029-12-01" },
		{ "2026-08-31", 0, "2026-08-31" },
	};
	static const struct { const char *d; int n; const char *want; } pd[] = {
		{ "2026-12-31", 1, "2027-01-01" },
		{ "2028-02-28", 1, "2028-02-29" },
		{ "2027-02-28", 1, "2027-03-01" },
		{ "2026-01-01", -1, "2025-12-31" },
		{ "2026-03-01", -30, "2026-01-30" },
		{ "2024-01-01", 366, "2025-01-01" },
	};
	static const struct { const char *t; const char *want; } tok[] = {
		{ "2026-01-29T14:59:59Z", "2026-01-29" },
		{ "2026-01-29T15:00:00Z", "2026-01-30" },	/* 00:00 JST */
		{ "2026-12-31T15:00:00.5Z", "2027-01-01" },
	};
	char	 out[32];
	size_t	 i;

	for (i = 0; i < sizeof(pm) / sizeof(pm[0]); i++) {
		vr_date_plus_months(pm[i].d, pm[i].m, out);
		CHECK(strcmp(out, pm[i].want) == 0, "%s + %u months: %s, want %s",
		    pm[i].d, pm[i].m, out, pm[i].want);
	}
	for (i = 0; i < sizeof(pd) / sizeof(pd[0]); i++) {
		vr_date_plus_days(pd[i].d, pd[i].n, out);
		CHECK(strcmp(out, pd[i].want) == 0, "%s + %d days: %s, want %s",
		    pd[i].d, pd[i].n, out, pd[i].want);
		CHECK(vr_date_diff(pd[i].d, pd[i].want) == pd[i].n,
		    "days from %s to %s", pd[i].d, pd[i].want);
	}
	for (i = 0; i < sizeof(tok) / sizeof(tok[0]); i++) {
		vr_date_of_time(tok[i].t, out);
		CHECK(strcmp(out, tok[i].want) == 0, "Tokyo date of %s: %s, want "
		    "%s", tok[i].t, out, tok[i].want);
	}
	vr_time_of_date("2027-01-01", out);
	CHECK(strcmp(out, "2026-12-31T15:00:00.000000Z") == 0,
	    "2027-01-01 begins in Tokyo at %s", out);
	vr_time_plus_days("2028-02-28T23:30:00Z", 2, out);
	CHECK(strcmp(out, "2028-03-01T23:30:00.000000Z") == 0, "+2 days: %s",
	    out);
	CHECK(vr_time_diff("2026-06-02T15:00:00Z", "2026-06-10T03:00:00Z") ==
	    7 * 86400 + 12 * 3600, "seconds between two times");
}

/*
 * Leak-report deadlines worked by hand (domain.md: day 1 is the day of
 * awareness; day 30/60 moves past weekends, national holidays and 29
 * Dec-3 Jan), with the 2026 holidays they meet.
 */
static void
test_deadline(void)
{
	static char days[][11] = { "2026-01-01", "2026-01-12",
	    "2026-05-03", "2026-05-04", "2026-05-05", "2026-05-06",
	    "2026-09-21", "2026-09-22", "2026-09-23", "2027-01-01" };
	static const struct {
		const char	*aware;
		unsigned	 n;
		const char	*want;
	} t[] = {
		{ "2026-01-30", 30, "2026-03-02" },	/* domain.md: Sat 28 Feb */
		{ "2026-01-30", 60, "2026-03-30" },	/* a Monday: stays */
		{ "2026-12-01", 30, "2027-01-04" },	/* Wed 30 Dec: year end */
		{ "2025-12-05", 30, "2026-01-05" },	/* Sat 3 Jan, then Sun */
		{ "2028-01-31", 30, "2028-02-29" },	/* leap day, a Tuesday */
		{ "2026-04-06", 30, "2026-05-07" },	/* こどもの日, 振替休日 */
		{ "2026-03-07", 60, "2026-05-07" },	/* the same, at 60 */
		{ "2026-08-01", 30, "2026-08-31" },	/* a Sunday at month end */
		{ "2026-08-23", 30, "2026-09-24" },	/* 21-23 Sep holidays */
		{ "2026-03-01", 1, "2026-03-02" },	/* day 1 a Sunday */
	};
	vr_holidays_t	 h = { days, sizeof(days) / sizeof(days[0]),
			    sizeof(days) / sizeof(days[0]) };
	char		 out[11];
	size_t		 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		vr_incident_deadline(t[i].aware, t[i].n, &h, out);
		CHECK(strcmp(out, t[i].want) == 0, "aware %s, day %u: %s, want "
		    "%s", t[i].aware, t[i].n, out, t[i].want);
	}
	CHECK(vr_date_weekday("2026-02-28") == 6 &&
	    vr_date_weekday("1970-01-01") == 4 &&
	    vr_date_weekday("1969-12-31") == 3, "weekdays");
}

int
main(void)
{
	test_corpnum();
	test_corpnum_normalize();
	test_namefold();
	test_tier();
	test_tier_rule();
	test_zip_names();
	test_validate();
	test_validate_fixed();
	test_validate_all();
	test_new_vendor();
	test_groups();
	test_date();
	test_deadline();
	return unit_report("test_domain");
}
