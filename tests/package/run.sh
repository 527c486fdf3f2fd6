#!/bin/bash
# tests/package/run.sh: the Debian package, built, checked and used as an
# admin would (docs/install.md), then purged.
#
#   tests/package/run.sh [--port PORT] [--mysql "ADMIN CLIENT" --db-port PORT]
#
# Builds the .deb with dpkg-buildpackage from a copy of the checkout
# (tracked and new files, so the checkout's own build is not touched),
# runs lintian on the .deb and the .changes (any E: or W: fails), installs
# it with apt-get, checks what the package put where (FHS paths, the
# vendor-review user and group, the modes of the config and password
# files, conffiles, nothing enabled or started), writes the config and
# the password into /etc/vendor-review/ as the docs say, and then runs
# the installed unit's own ExecStartPre (check-config) and ExecStart
# (serve), and migrate, from the installed paths with the unit's User,
# Group and SupplementaryGroups (CI has no systemd: setpriv stands in for
# it).  An nginx of its own on 127.0.0.1:PORT (default 8092), with the
# installed snippets from /etc/nginx/snippets/ and workers running as
# www-data, serves /health and authenticated GET and POST requests.
# Then an upgrade (the same .deb repacked as a later version) must keep
# the edited config, the password and their modes and leave the running
# serve alone, and migrate runs after it.  Finally it stops what it
# started, removes the package (the config stays), purges it and checks
# that the user, the group, /etc/vendor-review/ and the mode override are
# gone and the database is still there (then drops it: it is the test's).
#
# The database: a MariaDB the caller runs (--mysql: the admin client
# command over its unix socket; --db-port: its TCP port on 127.0.0.1, which
# the plugin uses), or else one of its own through scripts/lib.sh
# (instance "package", port --db-port, default 3409).  Its database is
# vr_package, so the caller's databases are not touched; the account has
# the rights docs/install.md grants, no more.
#
# Needs root (apt-get install, adduser); refuses to run when vendor-review
# is installed on the machine and not by an earlier run of this script.
# One line per check, "ok N - ..." or "not ok N - ..."; the last line is
# "package: N passed, N failed"; exit status 1 when anything failed.
# Every step is bounded by timeout(1); the whole run takes about a minute.
set -u

REPO=$(cd "$(dirname "$0")/../.." && pwd)
PORT=8092
MYSQL=""
DB_PORT=3409
while [ $# -gt 0 ]; do
	case $1 in
	--port) PORT=$2; shift 2 ;;
	--mysql) MYSQL=$2; shift 2 ;;
	--db-port) DB_PORT=$2; shift 2 ;;
	*) echo "usage: $0 [--port PORT] [--mysql CMD --db-port PORT]" >&2; exit 2 ;;
	esac
done

WORK="$REPO/run/package"
# Installed by an earlier run of this script (so that one may purge it).
MARK="$WORK/installed-by-test"
DB=vr_package
DB_USER=vendor_review
UNIT=/lib/systemd/system/vendor-review.service
CONF=/etc/vendor-review/vendor-review.conf
PWFILE=/etc/vendor-review/db.pw
RUNDIR=/run/vendor-review
SOCK=$RUNDIR/vendor-review.sock
T=10
N=0 PASSED=0 FAILED=0
SERVE_PID="" NGINX_DIR="" OWN_DB=0 MADE_RUNDIR=0

ok() { N=$((N + 1)); PASSED=$((PASSED + 1)); echo "ok $N - $*"; }
no() { N=$((N + 1)); FAILED=$((FAILED + 1)); echo "not ok $N - $*"; }
# Prints the last lines of a log, indented.
tail_of() { [ -s "$1" ] && tail -n "${2:-20}" "$1" | sed 's/^/  | /'; return 0; }
finish() {
	echo "package: $PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
	exit
}
# A step that cannot go on: counted as a failure, then the summary.
give_up() { no "$*"; cleanup; finish; }

sql() { $MYSQL -N -B "$@"; }

cleanup() {
	if [ -n "$SERVE_PID" ] && kill -0 "$SERVE_PID" 2>/dev/null; then
		kill -TERM "$SERVE_PID" 2>/dev/null
		timeout 30 tail --pid="$SERVE_PID" -f /dev/null 2>/dev/null || kill -KILL "$SERVE_PID" 2>/dev/null
	fi
	SERVE_PID=""
	if [ -n "$NGINX_DIR" ] && [ -s "$NGINX_DIR/nginx.pid" ]; then
		kill -QUIT "$(cat "$NGINX_DIR/nginx.pid")" 2>/dev/null
		timeout 10 tail --pid="$(cat "$NGINX_DIR/nginx.pid")" -f /dev/null 2>/dev/null || true
	fi
	[ -z "$NGINX_DIR" ] || rm -rf "$NGINX_DIR"
	NGINX_DIR=""
	if [ -f "$MARK" ]; then
		DEBIAN_FRONTEND=noninteractive timeout 120 apt-get purge -y -q vendor-review \
		    >>"$WORK/purge.log" 2>&1 && rm -f "$MARK"
	fi
	[ "$MADE_RUNDIR" = 0 ] || rm -rf "$RUNDIR"
	MADE_RUNDIR=0
	if [ -n "$MYSQL" ]; then
		sql -e "DROP DATABASE IF EXISTS \`$DB\`; DROP USER IF EXISTS '$DB_USER'@'127.0.0.1'" \
		    >/dev/null 2>&1
	fi
	if [ "$OWN_DB" = 1 ]; then
		vr_mariadb_stop >>"$WORK/mariadb-stop.log" 2>&1
		OWN_DB=0
	fi
}
trap 'cleanup' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$WORK"

# --- preconditions --------------------------------------------------------------
[ "$(id -u)" -eq 0 ] || give_up "runs as root (apt-get install, adduser); run it as root"
for c in dpkg-buildpackage dh lintian apt-get setpriv nginx curl htpasswd; do
	command -v "$c" >/dev/null 2>&1 ||
	    give_up "command $c is missing (scripts/test installs debhelper, lintian, dpkg-dev, fakeroot, nginx-light, apache2-utils, curl)"
done
if dpkg-query -W -f='${Status}' vendor-review 2>/dev/null | grep -q 'ok installed'; then
	[ -f "$MARK" ] || give_up "vendor-review is installed on this machine, not by this test: refusing to replace and purge it"
	DEBIAN_FRONTEND=noninteractive timeout 120 apt-get purge -y -q vendor-review >"$WORK/purge.log" 2>&1
	rm -f "$MARK"
fi
if [ -e "$RUNDIR" ]; then
	give_up "$RUNDIR exists (a vendor-review service of this machine?): refusing to use it"
fi

# --- the database -----------------------------------------------------------------
if [ -z "$MYSQL" ]; then
	# shellcheck disable=SC2034 # read by scripts/lib.sh
	VR_NGINX_PORT=$PORT VR_DB_PORT=$DB_PORT
	# shellcheck source=scripts/lib.sh
	. "$REPO/scripts/lib.sh"
	vr_instance package
	# (A subshell: lib.sh's vr_die exits.)
	if (vr_mariadb_start) >"$WORK/mariadb.log" 2>&1; then
		OWN_DB=1
		MYSQL="mariadb --no-defaults -S $VR_DB_SOCK -u $VR_DB_ADMIN"
	else
		tail_of "$WORK/mariadb.log"
		give_up "a MariaDB of its own on 127.0.0.1:$DB_PORT starts"
	fi
fi
DB_PW=$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')
if ! sql -e "DROP DATABASE IF EXISTS \`$DB\`;
    CREATE DATABASE \`$DB\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
    CREATE USER IF NOT EXISTS '$DB_USER'@'127.0.0.1' IDENTIFIED BY '$DB_PW';
    ALTER USER '$DB_USER'@'127.0.0.1' IDENTIFIED BY '$DB_PW';
    GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, REFERENCES, TRIGGER
        ON \`$DB\`.* TO '$DB_USER'@'127.0.0.1';" 2>"$WORK/db.log"; then
	tail_of "$WORK/db.log"
	give_up "the database $DB and the account $DB_USER can be made"
fi

# --- build and lintian --------------------------------------------------------
SRC="$WORK/src"
rm -rf "$SRC" "$WORK"/vendor-review*_* && mkdir -p "$SRC"
git -C "$REPO" rev-parse --git-dir >/dev/null 2>&1 ||
    give_up "the package is built from a git checkout ($REPO is none)"
(cd "$REPO" && git ls-files -co --exclude-standard -z | tar -cf - --null -T -) |
    tar -xf - -C "$SRC" || give_up "the checkout can be copied to $SRC"
if (cd "$SRC" && timeout 900 dpkg-buildpackage -us -uc -b) >"$WORK/build.log" 2>&1; then
	ok "dpkg-buildpackage -us -uc -b builds the package (make check inside)"
else
	tail_of "$WORK/build.log" 30
	give_up "dpkg-buildpackage -us -uc -b builds the package (log: run/package/build.log)"
fi
DEB=$(ls "$WORK"/vendor-review_*_*.deb 2>/dev/null | head -n 1)
CHANGES=$(ls "$WORK"/vendor-review_*_*.changes 2>/dev/null | head -n 1)
[ -n "$DEB" ] && [ -n "$CHANGES" ] || give_up "the build leaves a .deb and a .changes"
timeout 300 lintian --pedantic "$CHANGES" "$DEB" >"$WORK/lintian.log" 2>&1
if grep -Eq '^[EW]: ' "$WORK/lintian.log"; then
	no "lintian: no errors or warnings on the .deb and the .changes"
	grep -E '^[EW]: ' "$WORK/lintian.log" | sed 's/^/  | /'
else
	ok "lintian: no errors or warnings on the .deb and the .changes"
fi

# --- install ----------------------------------------------------------------------
touch "$MARK"
if (cd "$WORK" && DEBIAN_FRONTEND=noninteractive timeout 300 apt-get install -y -q "./${DEB##*/}") \
    >"$WORK/install.log" 2>&1; then
	ok "apt-get install -y ./${DEB##*/}"
else
	tail_of "$WORK/install.log"
	give_up "apt-get install -y ./${DEB##*/}"
fi

# What is where.
missing=""
for f in /usr/sbin/vendor-review /usr/share/man/man8/vendor-review.8.gz \
    /usr/share/man/man5/vendor-review.conf.5.gz $UNIT /lib/systemd/system/vendor-review.socket \
    /lib/systemd/system/vendor-review-schedule.service /lib/systemd/system/vendor-review-schedule.timer \
    /usr/share/vendor-review/plugin-manifests/vendor-review.xml \
    /usr/share/vendor-review/plugin-manifests/schemas/api.xsd /usr/share/vendor-review/web/index.html \
    /usr/share/vendor-review/deploy/vendor-review.conf.example \
    /etc/nginx/snippets/vendor-review.conf /etc/nginx/snippets/vendor-review-http.conf \
    /etc/nginx/snippets/vendor-review-pages.conf $CONF $PWFILE; do
	[ -e "$f" ] || missing="$missing $f"
done
[ -z "$missing" ] && ok "installed: program, man pages, units, manifest, schemas, pages, snippets, config" ||
    no "installed, but missing:$missing"
nsql=$(ls /usr/share/vendor-review/sql/*.sql 2>/dev/null | wc -l)
want=$(ls "$REPO"/sql/*.sql | wc -l)
[ "$nsql" -eq "$want" ] && ok "installed: the $want migrations in /usr/share/vendor-review/sql/" ||
    no "installed: $nsql migrations in /usr/share/vendor-review/sql/, want $want"
uid=$(id -u vendor-review 2>/dev/null || echo none)
if [ "$uid" != none ] && [ "$uid" -lt 1000 ] && getent group vendor-review >/dev/null &&
    [ "$(getent passwd vendor-review | cut -d: -f7)" = /usr/sbin/nologin ]; then
	ok "postinst made the system user and group vendor-review (uid $uid, no login)"
else
	no "postinst made the system user and group vendor-review (uid $uid)"
fi
for f in $CONF $PWFILE /etc/vendor-review/sheet.secret; do
	m=$(stat -c '%a %U:%G' "$f" 2>/dev/null)
	[ "$m" = "640 root:vendor-review" ] && ok "$f is 640 root:vendor-review" ||
	    no "$f is '$m', want 640 root:vendor-review"
done
conffiles=$(dpkg-query -W -f='${Conffiles}\n' vendor-review)
for f in $CONF /etc/nginx/snippets/vendor-review.conf; do
	grep -q " $f " <<<"$conffiles" && ok "$f is a conffile" || no "$f is a conffile"
done
# Nothing enabled (no symlink under /etc/systemd/system), nothing running.
if [ -z "$(find /etc/systemd/system -name 'vendor-review*' 2>/dev/null)" ] &&
    ! pgrep -f '^/usr/sbin/vendor-review' >/dev/null; then
	ok "installing enabled and started nothing"
else
	no "installing enabled or started something: $(find /etc/systemd/system -name 'vendor-review*') $(pgrep -af '^/usr/sbin/vendor-review')"
fi
grep -qx 'ExecStart=/usr/sbin/vendor-review -c /etc/vendor-review/vendor-review.conf serve' "$UNIT" &&
    ok "the installed unit runs the installed program with the installed config" ||
    no "the installed unit runs $(grep '^ExecStart=' "$UNIT")"

# --- configure it as the docs say --------------------------------------------------------
# The password into the file postinst made (its owner and mode stay);
# the database by TCP (this MariaDB's socket is not /run/mysqld's); the
# shipped group_role lines are kept and used.
printf '%s\n' "$DB_PW" >"$PWFILE"
sed -i -e 's|^db_socket[[:space:]].*|#&|' \
    -e "s|^#db_host[[:space:]].*|db_host 127.0.0.1|" \
    -e "s|^#db_port[[:space:]].*|db_port $DB_PORT|" \
    -e "s|^db_name[[:space:]].*|db_name $DB|" \
    -e "s|^#sheet_secret_file[[:space:]]*\([^[:space:]]*\).*|sheet_secret_file \1|" "$CONF"
m=$(stat -c '%a %U:%G' "$CONF" "$PWFILE" | sort -u)
[ "$m" = "640 root:vendor-review" ] && ok "editing the config and the password file keeps them 640 root:vendor-review" ||
    no "after editing: $m"

# The unit's identity: User, Group, SupplementaryGroups, and the groups
# that list the user as a member (what systemd's initgroups adds).
unit_val() { sed -n "s/^$1=//p" "$UNIT" | tail -n 1; }
U=$(unit_val User) G=$(unit_val Group)
SUPP=$(unit_val SupplementaryGroups | tr ' ' ',')
member=$(getent group | awk -F: -v u="$U" '{ n = split($4, m, ","); for (i = 1; i <= n; i++) if (m[i] == u) print $1 }' | paste -sd, -)
GROUPS_ALL=$(printf '%s,%s,%s' "$G" "$SUPP" "$member" | tr -s , | sed 's/^,//; s/,$//')
UMASK=$(unit_val UMask)
[ -n "$U" ] && [ -n "$G" ] || give_up "the unit names User= and Group= ($UNIT)"
# as_unit CMD...: execs CMD as the unit would run it (clean environment,
# its umask); call it in a subshell, whose pid is then CMD's.
as_unit() {
	umask "${UMASK:-0022}"
	exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
	    setpriv --reuid="$U" --regid="$G" --groups="$GROUPS_ALL" --inh-caps=-all \
	    --no-new-privs "$@"
}
echo "# the unit's identity: user $U, group $G, groups $GROUPS_ALL"

# Others cannot read the config or the password.
if ! setpriv --reuid=nobody --regid=nogroup --clear-groups cat "$PWFILE" >/dev/null 2>&1 &&
    ! setpriv --reuid=nobody --regid=nogroup --clear-groups cat "$CONF" >/dev/null 2>&1; then
	ok "another user (nobody) can read neither the config nor the password file"
else
	no "nobody can read $CONF or $PWFILE"
fi

# The unit's ExecStartPre, verbatim: check-config.
PRE=$(unit_val ExecStartPre)
# shellcheck disable=SC2086
if out=$(as_unit timeout $T $PRE 2>&1) && grep -q 'configuration ok' <<<"$out"; then
	ok "the unit's ExecStartPre as $U: $out"
else
	no "the unit's ExecStartPre ($PRE) as $U: $out"
fi
# Default config path, compiled in: check-config without -c, the way
# docs/install.md runs it.
if out=$(timeout $T runuser -u vendor-review -- vendor-review check-config 2>&1) &&
    grep -q "^$CONF: configuration ok" <<<"$out"; then
	ok "vendor-review check-config reads $CONF by default"
else
	no "vendor-review check-config by default: $out"
fi
if out=$(as_unit timeout 120 /usr/sbin/vendor-review migrate 2>&1); then
	ok "vendor-review migrate as $U"
else
	no "vendor-review migrate as $U: $(tail -n 5 <<<"$out")"
fi
n=$(sql "$DB" -e 'SELECT COUNT(*) FROM vr_schema_migrations' 2>/dev/null)
[ "$n" = "$want" ] && ok "migrate applied the $want installed migrations" ||
    no "vr_schema_migrations holds '$n' rows, want $want"
# Again, the way docs/install.md says to run it after an upgrade.
if timeout 60 runuser -u vendor-review -- vendor-review migrate >/dev/null 2>&1 &&
    [ "$(sql "$DB" -e 'SELECT COUNT(*) FROM vr_schema_migrations' 2>/dev/null)" = "$want" ]; then
	ok "migrate again (runuser -u vendor-review) changes nothing"
else
	no "migrate again changes nothing"
fi

# --- serve, behind nginx with the installed snippets ------------------------------------
# What RuntimeDirectory= would make: owned by the unit's user and group.
install -d -o "$U" -g "$G" -m "$(unit_val RuntimeDirectoryMode)" "$RUNDIR" && MADE_RUNDIR=1
START=$(unit_val ExecStart)
# shellcheck disable=SC2086
(as_unit $START) </dev/null >"$WORK/serve.log" 2>&1 &
SERVE_PID=$!
i=0
while [ ! -S "$SOCK" ] && kill -0 "$SERVE_PID" 2>/dev/null && [ "$i" -lt 80 ]; do
	sleep 0.25
	i=$((i + 1))
done
if [ -S "$SOCK" ]; then
	ok "the unit's ExecStart as $U listens on $SOCK ($(stat -c '%a %U:%G' "$SOCK"))"
else
	tail_of "$WORK/serve.log"
	give_up "the unit's ExecStart ($START) as $U listens on $SOCK"
fi

# nginx as the intranet's: root master, www-data workers, the snippets
# from /etc/nginx/snippets/; basic auth stands in for the site's login
# and maps the user to a group of the shipped config (staff: requester).
NGINX_DIR=$(mktemp -d /tmp/vr-package-nginx.XXXXXX)
chmod 755 "$NGINX_DIR"
mkdir -p "$NGINX_DIR/tmp"
# The snippet's `include fastcgi_params;` is relative to the config's
# directory, /etc/nginx on the intranet's server.
ln -s /etc/nginx/fastcgi_params "$NGINX_DIR/fastcgi_params"
htpasswd -b -c -B "$NGINX_DIR/htpasswd" pkguser pkgpass 2>/dev/null
chmod 644 "$NGINX_DIR/htpasswd"
cat >"$NGINX_DIR/nginx.conf" <<EOF
user www-data;
worker_processes 1;
pid $NGINX_DIR/nginx.pid;
error_log $NGINX_DIR/error.log;
events { worker_connections 64; }
http {
	include /etc/nginx/mime.types;
	access_log $NGINX_DIR/access.log;
	client_body_temp_path $NGINX_DIR/tmp/body;
	fastcgi_temp_path $NGINX_DIR/tmp/fastcgi;
	proxy_temp_path $NGINX_DIR/tmp/proxy;
	uwsgi_temp_path $NGINX_DIR/tmp/uwsgi;
	scgi_temp_path $NGINX_DIR/tmp/scgi;
	upstream vendor_review {
		server unix:$SOCK;
	}
	include /etc/nginx/snippets/vendor-review-http.conf;
	map \$remote_user \$vr_user { default \$remote_user; }
	map \$remote_user \$vr_groups { pkguser "staff"; default ""; }
	server {
		listen 127.0.0.1:$PORT;
		server_name localhost;
		auth_basic "intranet";
		auth_basic_user_file $NGINX_DIR/htpasswd;
		include /etc/nginx/snippets/vendor-review.conf;
		set \$vr_web_root /usr/share/vendor-review/web;
		include /etc/nginx/snippets/vendor-review-pages.conf;
	}
}
EOF
if timeout $T nginx -t -q -c "$NGINX_DIR/nginx.conf" -p "$NGINX_DIR" >"$WORK/nginx-t.log" 2>&1; then
	ok "nginx -t accepts the installed snippets"
else
	tail_of "$WORK/nginx-t.log"
	give_up "nginx -t accepts the installed snippets"
fi
timeout $T nginx -c "$NGINX_DIR/nginx.conf" -p "$NGINX_DIR" >"$WORK/nginx.log" 2>&1 ||
    { tail_of "$WORK/nginx.log"; give_up "nginx starts on 127.0.0.1:$PORT"; }
BASE="http://127.0.0.1:$PORT/vendor-review/api"
i=0
until curl -s -o /dev/null "$BASE/health" || [ "$i" -ge 40 ]; do sleep 0.25; i=$((i + 1)); done

# req METHOD URL [curl args...]: sets CODE and BODY.
req() {
	local m=$1 url=$2
	shift 2
	BODY=$(curl -sS -m $T -X "$m" -w '\n%{http_code}' "$@" "$url" 2>&1)
	CODE=${BODY##*$'\n'}
	BODY=${BODY%$'\n'*}
}
version=$(/usr/sbin/vendor-review --version | awk '{ print $2 }')
req GET "$BASE/health"
if [ "$CODE" = 200 ] && grep -q "\"$version\"" <<<"$BODY"; then
	ok "GET /health through nginx without a login: 200, version $version"
else
	no "GET /health through nginx: $CODE $BODY"
fi
req GET "$BASE/vendors"
[ "$CODE" = 401 ] && ok "GET /vendors without a login: 401 from nginx" || no "GET /vendors without a login: $CODE"
req POST "$BASE/vendors" -u pkguser:pkgpass -H 'Content-Type: application/json' \
    -d '{"name":"株式会社パッケージ試験","corporate_number":"7000012050002","personal_data":"le_1000"}'
id=$(sed -n 's/.*"id":\([0-9]*\).*/\1/p' <<<"$BODY" | head -n 1)
if [ "$CODE" = 201 ] && [ -n "$id" ]; then
	ok "POST /vendors as pkguser (group staff: requester): 201, id $id"
else
	no "POST /vendors as pkguser: $CODE $BODY"
fi
req GET "$BASE/vendors/${id:-0}" -u pkguser:pkgpass
if [ "$CODE" = 200 ] && grep -q 'パッケージ試験' <<<"$BODY"; then
	ok "GET /vendors/$id as pkguser: 200 with the vendor"
else
	no "GET /vendors/${id:-?} as pkguser: $CODE $BODY"
fi
req GET "http://127.0.0.1:$PORT/vendor-review/" -u pkguser:pkgpass
[ "$CODE" = 200 ] && grep -qi '<html' <<<"$BODY" &&
    ok "GET /vendor-review/ (the installed pages): 200" || no "GET /vendor-review/: $CODE"

# --- upgrade ------------------------------------------------------------------------------
# The same files as a later version (repacked with another Version):
# the admin's config, password and key and their modes stay, the package
# leaves the running serve alone (the admin restarts it after migrate).
UPD="$WORK/upgrade"
OLDV=$(dpkg-deb -f "$DEB" Version)
NEWV="$OLDV+upgradetest"
rm -rf "$UPD" && mkdir -p "$UPD"
NEWDEB="$UPD/vendor-review_${NEWV}_$(dpkg-deb -f "$DEB" Architecture).deb"
if dpkg-deb -R "$DEB" "$UPD/tree" && sed -i "s/^Version: .*/Version: $NEWV/" "$UPD/tree/DEBIAN/control" &&
    dpkg-deb --root-owner-group -b "$UPD/tree" "$NEWDEB" >"$UPD/repack.log" 2>&1; then
	before=$(sha256sum "$CONF" "$PWFILE" /etc/vendor-review/sheet.secret; stat -c '%a %U:%G %n' "$CONF" "$PWFILE")
	if (cd "$UPD" && DEBIAN_FRONTEND=noninteractive timeout 300 apt-get install -y -q "./${NEWDEB##*/}") \
	    >"$WORK/upgrade.log" 2>&1 &&
	    [ "$(dpkg-query -W -f='${Version}' vendor-review)" = "$NEWV" ]; then
		ok "apt-get install -y ./${NEWDEB##*/} upgrades $OLDV to $NEWV"
	else
		tail_of "$WORK/upgrade.log"
		no "the upgrade to $NEWV"
	fi
	after=$(sha256sum "$CONF" "$PWFILE" /etc/vendor-review/sheet.secret; stat -c '%a %U:%G %n' "$CONF" "$PWFILE")
	[ "$before" = "$after" ] && ok "the upgrade kept the edited config, db.pw, sheet.secret and their modes" ||
	    no "the upgrade changed: $(diff <(echo "$before") <(echo "$after") | grep '^[<>]' | tr '\n' ' ')"
	req GET "$BASE/health"
	kill -0 "$SERVE_PID" 2>/dev/null && [ "$CODE" = 200 ] &&
	    ok "the running serve was left alone by the upgrade and still answers" ||
	    no "after the upgrade: serve alive $(kill -0 "$SERVE_PID" 2>/dev/null && echo yes || echo no), /health $CODE"
	if timeout 60 runuser -u vendor-review -- vendor-review migrate >"$UPD/migrate.log" 2>&1; then
		ok "migrate after the upgrade"
	else
		no "migrate after the upgrade: $(tail -n 3 "$UPD/migrate.log")"
	fi
else
	tail_of "$UPD/repack.log"
	no "the .deb can be repacked as version $NEWV"
fi

# SIGTERM: requests in flight finish and serve exits 0.
kill -TERM "$SERVE_PID"
rc=0
timeout 45 tail --pid="$SERVE_PID" -f /dev/null || rc=$?
wait "$SERVE_PID"
src=$?
SERVE_PID=""
[ "$rc" = 0 ] && [ "$src" = 0 ] && ok "serve exits 0 on SIGTERM" || no "serve on SIGTERM: exit $src (wait $rc)"
grep -q 'error' "$NGINX_DIR/error.log" 2>/dev/null && { echo "# nginx error.log:"; tail_of "$NGINX_DIR/error.log" 5; }

# --- purge --------------------------------------------------------------------------------
kill -QUIT "$(cat "$NGINX_DIR/nginx.pid")" 2>/dev/null
timeout 10 tail --pid="$(cat "$NGINX_DIR/nginx.pid" 2>/dev/null || echo 1)" -f /dev/null 2>/dev/null
rm -rf "$NGINX_DIR"
NGINX_DIR=""
rm -rf "$RUNDIR"
MADE_RUNDIR=0
# remove: the program goes, the admin's configuration stays.
rrc=0
DEBIAN_FRONTEND=noninteractive timeout 120 apt-get remove -y -q vendor-review >"$WORK/remove.log" 2>&1 || rrc=$?
if [ "$rrc" = 0 ] && [ ! -e /usr/sbin/vendor-review ] && [ -s "$CONF" ] && [ -s "$PWFILE" ] &&
    [ -e /etc/nginx/snippets/vendor-review.conf ] && getent passwd vendor-review >/dev/null; then
	ok "apt-get remove: the program is gone, the config, db.pw, snippets and user stay"
else
	tail_of "$WORK/remove.log"
	no "apt-get remove (exit $rrc): program $([ -e /usr/sbin/vendor-review ] && echo left || echo gone), config $([ -s "$CONF" ] && echo kept || echo gone)"
fi
if DEBIAN_FRONTEND=noninteractive timeout 120 apt-get purge -y -q vendor-review >"$WORK/purge.log" 2>&1; then
	rm -f "$MARK"
	ok "apt-get purge -y vendor-review"
else
	tail_of "$WORK/purge.log"
	no "apt-get purge -y vendor-review"
fi
left=""
dpkg-query -W -f='${Status}' vendor-review 2>/dev/null | grep -q 'ok installed' && left="$left package"
getent passwd vendor-review >/dev/null && left="$left user"
getent group vendor-review >/dev/null && left="$left group"
[ -e /etc/vendor-review ] && left="$left /etc/vendor-review"
[ -e /usr/sbin/vendor-review ] && left="$left /usr/sbin/vendor-review"
ls /etc/nginx/snippets/vendor-review* >/dev/null 2>&1 && left="$left snippets"
dpkg-statoverride --list | grep -q vendor-review && left="$left statoverride"
[ -z "$left" ] && ok "purge left nothing of the package (user, group, /etc/vendor-review, snippets, override)" ||
    no "purge left:$left"
n=$(sql "$DB" -e 'SELECT COUNT(*) FROM vr_vendors' 2>/dev/null)
[ "$n" = 1 ] && ok "purge left the admin's database alone (vr_vendors: $n row)" ||
    no "after purge the database holds '$n' vendors, want 1"

cleanup
finish
