/*
 * The plugin manifest as a record (model of plugin-manifests/
 * vendor-review.xml): what the host reads to draw menus, pages and
 * buttons.  The XML reader (codec/vr_manifest_xml.c) fills it, the JSON
 * codec writes it for GET /manifest and vendor-review.json, and the
 * workflow engine reads its state machines from it.
 */
#include "vr_model.h"

#define TEXT(n, d) { .name = n, .type = VR_T_TEXT, .doc = d }
#define NAMES(n, it, d) { .name = n, .type = VR_T_LIST, .items = &it, \
	.doc = d }
#define LABEL(n, d) { .name = n, .type = VR_T_RECORD, \
	.sub = &vr_label_resource, .doc = d }
#define LIST(n, it, d) { .name = n, .type = VR_T_LIST, .items = &it, \
	.doc = d }
#define ITEM(n, r) { .name = n, .type = VR_T_RECORD, .sub = &r }

static const vr_field_t role_name = TEXT("role", "A role id.");
static const vr_field_t guard_name = TEXT("guard", "A guard's name.");
static const vr_field_t effect_name = TEXT("effect", "An effect's name.");

static const vr_field_t transition_fields[MTF__MAX] = {
	[MTF_ID] = TEXT("id", "The action id a host sends."),
	[MTF_TO] = TEXT("to", "The state it leads to."),
	[MTF_ROLES] = NAMES("roles", role_name, "Roles that may fire it."),
	[MTF_COMMENT] = { .name = "comment_required", .type = VR_T_BOOL,
	    .doc = "A comment must be given." },
	[MTF_GUARDS] = NAMES("guards", guard_name, "Rules that must hold."),
	[MTF_EFFECTS] = NAMES("effects", effect_name, "What it does besides "
	    "the state."),
	[MTF_LABEL] = LABEL("label", "The button's label."),
};
const vr_resource_t vr_mtransition_resource = {
	.name = "transition", .xmlns = VR_XMLNS, .fields = transition_fields,
	.nfields = MTF__MAX,
};
static const vr_field_t transition_item = ITEM("transition",
    vr_mtransition_resource);

static const vr_field_t state_fields[MSF__MAX] = {
	[MSF_ID] = TEXT("id", "State id."),
	[MSF_FINAL] = { .name = "final", .type = VR_T_BOOL,
	    .doc = "No transition leaves it." },
	[MSF_LABEL] = LABEL("label", "The state's name."),
	[MSF_TRANSITIONS] = LIST("transitions", transition_item,
	    "What may be done in it."),
};
const vr_resource_t vr_mstate_resource = {
	.name = "state", .xmlns = VR_XMLNS, .fields = state_fields,
	.nfields = MSF__MAX,
};
static const vr_field_t state_item = ITEM("state", vr_mstate_resource);

static const vr_field_t workflow_fields[MWF__MAX] = {
	[MWF_NAME] = TEXT("name", "Workflow name."),
	[MWF_RESOURCE] = TEXT("resource", "The resource it runs on."),
	[MWF_KIND] = TEXT("kind", "The resource's kind it runs for."),
	[MWF_START] = NAMES("start_roles", role_name, "Roles that may open "
	    "a case of it."),
	[MWF_INITIAL] = TEXT("initial", "The state a new case starts in."),
	[MWF_LABEL] = LABEL("label", "Its name for people."),
	[MWF_STATES] = LIST("states", state_item, "Its states."),
};
const vr_resource_t vr_mworkflow_resource = {
	.name = "workflow", .xmlns = VR_XMLNS, .fields = workflow_fields,
	.nfields = MWF__MAX,
};
static const vr_field_t workflow_item = ITEM("workflow",
    vr_mworkflow_resource);

static const vr_field_t role_fields[MRF__MAX] = {
	[MRF_ID] = TEXT("id", "Role id."),
	[MRF_LABEL] = LABEL("label", "Its name."),
	[MRF_DESCRIPTION] = LABEL("description", "What it does."),
};
const vr_resource_t vr_mrole_resource = {
	.name = "role", .xmlns = VR_XMLNS, .fields = role_fields,
	.nfields = MRF__MAX,
};
static const vr_field_t role_item = ITEM("role", vr_mrole_resource);

static const vr_field_t entry_fields[MEF__MAX] = {
	[MEF_ID] = TEXT("id", "Menu entry id."),
	[MEF_PAGE] = TEXT("page", "The page it opens."),
	[MEF_ROLES] = NAMES("roles", role_name, "Who sees it."),
	[MEF_LABEL] = LABEL("label", "Its text."),
};
const vr_resource_t vr_mentry_resource = {
	.name = "entry", .xmlns = VR_XMLNS, .fields = entry_fields,
	.nfields = MEF__MAX,
};
static const vr_field_t entry_item = ITEM("entry", vr_mentry_resource);

static const vr_field_t page_fields[MPF__MAX] = {
	[MPF_ID] = TEXT("id", "Page id."),
	[MPF_PATH] = TEXT("path", "Its URL path."),
	[MPF_LABEL] = LABEL("label", "Its title."),
};
const vr_resource_t vr_mpage_resource = {
	.name = "page", .xmlns = VR_XMLNS, .fields = page_fields,
	.nfields = MPF__MAX,
};
static const vr_field_t page_item = ITEM("page", vr_mpage_resource);

static const vr_field_t manifest_fields[MF__MAX] = {
	[MF_ID] = TEXT("id", "Plugin id."),
	[MF_VERSION] = TEXT("version", "Manifest version."),
	[MF_API_BASE] = TEXT("api_base", "Base path of the API."),
	[MF_VENDOR_BASE] = TEXT("vendor_base", "Base path of vendor links."),
	[MF_ROLES] = LIST("roles", role_item, "The roles it knows."),
	[MF_MENU] = LIST("menu", entry_item, "Menu entries for the host."),
	[MF_PAGES] = LIST("pages", page_item, "Pages it brings."),
	[MF_WORKFLOWS] = LIST("workflows", workflow_item,
	    "Its workflows, as state machines."),
};
const vr_resource_t vr_manifest_resource = {
	.name = "manifest", .xmlns = VR_XMLNS, .fields = manifest_fields,
	.nfields = MF__MAX,
};
