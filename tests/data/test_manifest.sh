#!/bin/sh
# The plugin manifest is valid against its schema, and the schema refuses
# what it promises to refuse: each broken copy below differs from the
# shipped manifest by one kind of mistake, and xmllint must reject it with
# the message that names that mistake (not merely fail for another reason).
#
#   tests/data/test_manifest.sh [-v]     (-v: show xmllint's message for
#                                         every refused copy)
#
# Output is TAP (plan first, then "ok N - ..." / "not ok N - ..."), and a
# last line "test_manifest: N passed, N failed"; exit status 1 if any check
# failed.  Needs xmllint (Debian package libxml2-utils); runs offline.
set -eu
cd "$(dirname "$0")/../.."

schema=plugin-manifests/schemas/manifest.xsd
good=plugin-manifests/vendor-review.xml
verbose=0
[ "${1:-}" = "-v" ] && verbose=1

if ! command -v xmllint >/dev/null 2>&1; then
	echo "1..1"
	echo "not ok 1 - xmllint is installed (Debian package libxml2-utils)"
	echo "test_manifest: 0 passed, 1 failed"
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/test_manifest.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

n=0 pass=0 fail=0 mode=count

# validate FILE: runs xmllint on FILE, its messages in $tmp/out; sets rc.
validate() {
	rc=0
	xmllint --nonet --noout --schema "$schema" "$1" >"$tmp/out" 2>&1 || rc=$?
}

# result OK WHAT [WHY]: prints the TAP line for the current check.
result() {
	if [ "$1" = 1 ]; then
		pass=$((pass + 1))
		echo "ok $n - $2"
	else
		fail=$((fail + 1))
		echo "not ok $n - $2"
		echo "#   $3"
		sed 's/^/#   | /' "$tmp/out"
	fi
}

# accept WHAT FILE: FILE must validate.
accept() {
	n=$((n + 1))
	[ "$mode" = run ] || return 0
	validate "$2"
	if [ "$rc" -eq 0 ]; then
		result 1 "$1"
	else
		result 0 "$1" "xmllint exit $rc, expected 0"
	fi
}

# refuse WHAT SED-SCRIPT MESSAGE: the manifest edited by SED-SCRIPT must
# fail validation (xmllint exit 3: the schema compiled, the document is
# invalid), and the first error xmllint reports must contain MESSAGE, a
# fixed string: refused for that reason.  (Later errors may follow from the
# first: after a content error libxml2 skips the rest of the element, so
# the keys in it are missing too; a list value that fails its item type is
# reported twice.)
refuse() {
	n=$((n + 1))
	[ "$mode" = run ] || return 0
	copy="$tmp/case$n.xml"
	if ! sed -e "$2" "$good" >"$copy" 2>"$tmp/out"; then
		result 0 "$1" "the sed script failed"
		return 0
	fi
	if cmp -s "$good" "$copy"; then
		: >"$tmp/out"
		result 0 "$1" "the sed script changed nothing"
		return 0
	fi
	validate "$copy"
	first=$(grep -F 'Schemas validity error' "$tmp/out" | head -n 1)
	if [ "$rc" -ne 3 ]; then
		result 0 "$1" "xmllint exit $rc, expected 3 (document invalid)"
	elif ! printf '%s\n' "$first" | grep -F -e "$3" >/dev/null; then
		result 0 "$1" "refused, but the first error is not: $3"
	else
		result 1 "$1"
		[ "$verbose" = 0 ] || printf '#   %s\n' "${first#"$tmp"/}"
	fi
}

# Prefixes of xmllint's messages.
SC='{http://www.w3.org/2005/07/scxml}'
VR='{urn:vendor-review:manifest:1}'
# sed addresses: the lines of one workflow.
ONB='/name="onboarding"/,/<\/scxml>/'

checks() {
	accept "the manifest is valid" "$good"

	# SCXML outside the subset.
	refuse "<parallel> is refused" \
	    's|<state id="reviewed">|<parallel id="p"/>&|' \
	    "Element '${SC}parallel': This element is not expected."
	refuse "<history> is refused" \
	    's|<vr:label xml:lang="en">With vendor</vr:label>|&<history id="h"/>|' \
	    "Element '${SC}history': This element is not expected."
	refuse "<onentry> is refused" \
	    's|<vr:label xml:lang="en">With vendor</vr:label>|&<onentry><log expr="1"/></onentry>|' \
	    "Element '${SC}onentry': This element is not expected."
	refuse "<datamodel> is refused" \
	    's|<vr:label xml:lang="en">Onboarding assessment</vr:label>|&<datamodel><data id="x"/></datamodel>|' \
	    "Element '${SC}datamodel': This element is not expected."
	refuse "<script> in a transition is refused" \
	    's|<vr:label xml:lang="en">Complete review</vr:label>|&<script>x = 1;</script>|' \
	    "Element '${SC}script': This element is not expected."
	refuse "<invoke> is refused" \
	    's|<vr:label xml:lang="en">With vendor</vr:label>|&<invoke src="x.scxml"/>|' \
	    "Element '${SC}invoke': This element is not expected."
	refuse "a state nested in a state is refused" \
	    's|<vr:label xml:lang="en">With vendor</vr:label>|&<state id="inner"><vr:label xml:lang="ja">内</vr:label><vr:label xml:lang="en">Inner</vr:label><transition event="go" target="draft" vr:roles="admin"><vr:label xml:lang="ja">進む</vr:label><vr:label xml:lang="en">Go</vr:label></transition></state>|' \
	    "Element '${SC}state': This element is not expected."
	refuse "a transition in a final is refused" \
	    's|<vr:label xml:lang="en">Rejected</vr:label>|&<transition event="reopen" target="draft" vr:roles="admin"><vr:label xml:lang="ja">再開</vr:label><vr:label xml:lang="en">Reopen</vr:label></transition>|' \
	    "Element '${SC}transition': This element is not expected."
	refuse "an SCXML attribute outside the subset (type) is refused" \
	    's|event="complete_review" target="reviewed"|& type="internal"|' \
	    "attribute 'type': The attribute 'type' is not allowed."
	refuse "scxml version other than 1.0 is refused" \
	    's|version="1.0" name="onboarding"|version="1.1" name="onboarding"|' \
	    "The value '1.1' does not match the fixed value constraint '1.0'."

	# Targets and the initial state.
	refuse "a transition to an unknown state is refused" \
	    "${ONB}s|target=\"reviewed\"|target=\"review\"|" \
	    "No match found for key-sequence ['review'] of keyref '${SC}transitionTarget'."
	refuse "a transition to a state of another workflow is refused" \
	    "${ONB}s|target=\"rejected\"|target=\"failed\"|" \
	    "No match found for key-sequence ['failed'] of keyref '${SC}transitionTarget'."
	refuse "an initial state that does not exist is refused" \
	    's|name="onboarding" initial="draft"|name="onboarding" initial="drafts"|' \
	    "No match found for key-sequence ['drafts'] of keyref '${SC}initialState'."
	refuse "a final as initial state is refused" \
	    's|name="onboarding" initial="draft"|name="onboarding" initial="approved"|' \
	    "No match found for key-sequence ['approved'] of keyref '${SC}initialState'."
	refuse "a workflow without initial is refused" \
	    's|name="onboarding" initial="draft"|name="onboarding"|' \
	    "The attribute 'initial' is required but missing."
	refuse "two states with one id are refused" \
	    's|<final id="approved">|<final id="draft"><vr:label xml:lang="ja">重複</vr:label><vr:label xml:lang="en">Duplicate</vr:label></final>&|' \
	    "Duplicate key-sequence ['draft'] in key identity-constraint '${SC}stateOrFinalId'."
	refuse "one event twice in a state is refused" \
	    "${ONB}s|event=\"reject\" target=\"rejected\"|event=\"approve\" target=\"rejected\"|" \
	    "Duplicate key-sequence ['approve'] in unique identity-constraint '${SC}stateEvent'."

	# Our attributes on transitions.
	refuse "a transition without vr:roles is refused" \
	    "${ONB}s|^\\( *\\)vr:roles=\"reviewer\"\$|\\1|" \
	    "The attribute '${VR}roles' is required but missing."
	refuse "vr:roles separated by commas is refused" \
	    's|vr:roles="requester admin"|vr:roles="requester,admin"|' \
	    "The value 'requester,admin' is not accepted by the pattern '[a-z][a-z0-9_]*'."
	refuse "an empty vr:roles is refused" \
	    's|vr:roles="approver"|vr:roles=""|' \
	    "[facet 'minLength'] The value '' has a length of '0'; this underruns the allowed minimum length of '1'."
	refuse 'vr:comment="maybe" is refused' \
	    's|vr:comment="required"|vr:comment="maybe"|' \
	    "[facet 'enumeration'] The value 'maybe' is not an element of the set {'required', 'optional'}."
	refuse "a misspelt vr: attribute is refused" \
	    's|vr:roles="approver" vr:comment="required"|vr:roles="approver" vr:comments="required"|' \
	    "The attribute '${VR}comments' is not allowed."
	refuse "an SCXML expression as cond is refused" \
	    's|cond="all_required_answered"|cond="In('"'"'draft'"'"')"|' \
	    "The value 'In('draft')' is not accepted by the pattern '[a-z][a-z0-9_]*'."

	# Labels.
	refuse "a transition without its en label is refused" \
	    '/<vr:label xml:lang="en">Complete review<\/vr:label>/d' \
	    "Missing child element(s). Expected is ( ${VR}label )."
	refuse "a transition with two ja labels is refused" \
	    's|<vr:label xml:lang="en">Approve</vr:label>|<vr:label xml:lang="ja">承認する</vr:label>|' \
	    "Duplicate key-sequence ['ja'] in unique identity-constraint '${SC}transitionLabelLang'."
	refuse "a state without its ja label is refused" \
	    '/<vr:label xml:lang="ja">下書き<\/vr:label>/d' \
	    "Element '${SC}transition': This element is not expected. Expected is ( ${VR}label )."
	refuse "a label without xml:lang is refused" \
	    's|<vr:label xml:lang="en">Withdrawn</vr:label>|<vr:label>Withdrawn</vr:label>|' \
	    "The attribute '{http://www.w3.org/XML/1998/namespace}lang' is required but missing."
	refuse "an empty label is refused" \
	    's|<vr:label xml:lang="en">Reject</vr:label>|<vr:label xml:lang="en"> </vr:label>|' \
	    "The value ' ' is not accepted by the pattern"
	refuse "a role without its en description is refused" \
	    '/<description xml:lang="en">The contact person at the vendor/d' \
	    "Missing child element(s). Expected is ( ${VR}description )."

	# The rest of the manifest.
	refuse "a menu entry for an unknown page is refused" \
	    's|page="templates"|page="template"|' \
	    "No match found for key-sequence ['template'] of keyref '${VR}menuEntryPage'."
	refuse "two roles with one id are refused" \
	    's|<role id="auditor">|<role id="approver">|' \
	    "Duplicate key-sequence ['approver'] in key identity-constraint '${VR}roleId'."
	refuse "an unknown element in the manifest is refused" \
	    's|<menu>|<buttons/>&|' \
	    "Element '${VR}buttons': This element is not expected. Expected is ( ${VR}menu )."
}

checks
echo "1..$n"
mode=run n=0
checks
echo "test_manifest: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
