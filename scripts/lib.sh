#!/bin/bash
# scripts/lib.sh: shared plumbing for scripts/demo and scripts/test.
#
# Sourced, never run.  An "instance" is a private, self-contained set of
# MariaDB + vendor-review plugin + nginx, all under run/<instance>/ and all
# listening on 127.0.0.1 only.  No system service is used or touched: the
# system nginx/mariadb (if any) keep running undisturbed, and several
# instances (demo, test) can run side by side.
#
# Before calling vr_instance, the caller may set:
#   VR_NGINX_PORT     nginx port with basic auth          (required)
#   VR_NOAUTH_PORT    extra nginx port without any auth   (optional, tests)
#   VR_DB_PORT        MariaDB TCP port on 127.0.0.1       (required)
#
# Several functions take optional arguments:
# shellcheck disable=SC2119,SC2120

# --- where things are ------------------------------------------------------
VR_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VR_BIN="$VR_REPO/fcgi/vendor-review"
VR_DB_NAME=intranet
VR_DB_USER=vr
VR_DEMO_PASSWORD=demo
# approver2: a second approver (two clicks at once); manager1 requests and
# approves, lead1 reviews and approves: people who hold two roles, whom
# segregation of duties stops from deciding their own cases.
VR_DEMO_USERS="requester1 reviewer1 approver1 auditor1 admin1 approver2 manager1 lead1"
VR_API_PATH=/vendor-review/api

# Packages a fresh Debian 12 needs.  "pkg:command" means: any package that
# provides that command will do (e.g. nginx-full instead of nginx-light).
VR_PACKAGES="build-essential autoconf automake libtool pkg-config
libfcgi-dev libfcgi-bin:cgi-fcgi libmariadb-dev mariadb-server:mariadbd
mariadb-client:mariadb libjson-c-dev libxml2-dev libxml2-utils libssl-dev
libxlsxwriter-dev libzip-dev
nginx-light:nginx apache2-utils:htpasswd curl python3:/usr/bin/python3
valgrind jq"

vr_log() { printf '==> %s\n' "$*" >&2; }
vr_warn() { printf 'warning: %s\n' "$*" >&2; }
vr_die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Runs a command as root: directly when we are root, else through sudo.
vr_as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo "$@"
	else
		vr_die "need root (or sudo) to run: $*"
	fi
}

# --- packages ----------------------------------------------------------------
# Installs what is missing (and only that) with apt-get, non-interactively.
vr_install_packages() {
	local spec pkg cmd missing=""
	for spec in $VR_PACKAGES; do
		pkg=${spec%%:*}
		cmd=""
		[ "$pkg" = "$spec" ] || cmd=${spec#*:}
		if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null |
		    grep -q 'install ok installed'; then
			continue
		fi
		if [ -n "$cmd" ] && command -v "$cmd" >/dev/null 2>&1; then
			continue
		fi
		missing="$missing $pkg"
	done
	[ -n "$missing" ] || return 0
	vr_log "installing missing packages:$missing"
	vr_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
	# shellcheck disable=SC2086
	# Another apt may hold the lock: wait for it (never kill it).
	vr_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	    -o DPkg::Lock::Timeout=600 --no-install-recommends $missing
}

# --- build -------------------------------------------------------------------
# Builds fcgi/vendor-review in the source tree (incremental).
vr_build() (
	cd "$VR_REPO" || exit 1
	if [ ! -x configure ] || [ configure.ac -nt configure ]; then
		vr_log "autogen"
		./autogen.sh
	fi
	if [ ! -f Makefile ] || [ ! -f config.status ]; then
		vr_log "configure"
		./configure
	fi
	vr_log "make"
	make -j"$(nproc 2>/dev/null || echo 2)"
	[ -x "$VR_BIN" ] || vr_die "build did not produce $VR_BIN"
)

# --- instance ----------------------------------------------------------------
# Sets every path of instance $1 (demo, test, ...) and creates run/<name>/.
vr_instance() {
	VR_INSTANCE=$1
	VR_RUN="$VR_REPO/run/$VR_INSTANCE"
	VR_DATADIR="$VR_RUN/mariadb"
	VR_DB_SOCK="$VR_RUN/mysqld.sock"
	VR_DB_PID="$VR_RUN/mysqld.pid"
	VR_DB_ERR="$VR_RUN/mariadb.err"
	VR_DB_PWFILE="$VR_RUN/db.password"
	VR_SHEET_SECRET="$VR_RUN/sheet.secret"
	VR_CONF="$VR_RUN/vendor-review.conf"
	VR_SOCK="$VR_RUN/vendor-review.sock"
	VR_PLUGIN_PID="$VR_RUN/plugin.pid"
	VR_PLUGIN_LOG="$VR_RUN/plugin.log"
	VR_NGINX_DIR="$VR_RUN/nginx"
	VR_NGINX_CONF="$VR_NGINX_DIR/nginx.conf"
	VR_NGINX_PID="$VR_NGINX_DIR/nginx.pid"
	VR_HTPASSWD="$VR_RUN/htpasswd"
	# The MariaDB account with all rights over the private server: root
	# through the unix socket (mariadb-install-db also lets the OS user
	# that created the data dir in as itself).
	if [ "$(id -u)" -eq 0 ]; then VR_DB_ADMIN=root; else VR_DB_ADMIN=$(id -un); fi
	VR_BASE_URL="http://127.0.0.1:${VR_NGINX_PORT:?}$VR_API_PATH"
	mkdir -p "$VR_RUN"
}

# True when the pid in file $1 names a live process of this instance: a
# pid file left by a crash may name a process that is gone, a zombie, or
# by now someone else's process (pids are reused), and none of those is
# "already running".  Every process we start names the instance's
# directory on its command line (mariadbd --datadir, nginx -c, the
# plugin's -c), so that is what is checked.
vr_pid_alive() {
	local pid state
	[ -s "$1" ] || return 1
	pid=$(cat "$1" 2>/dev/null) || return 1
	case $pid in ''|*[!0-9]*) return 1 ;; esac
	state=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1) || return 1
	[ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ] || return 1
	tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$VR_RUN/"
}

# Waits up to $1 seconds for the command "$2 ..." to succeed.
vr_wait_for() {
	local secs=$1 i=0
	shift
	while ! "$@" >/dev/null 2>&1; do
		i=$((i + 1))
		[ "$i" -le $((secs * 4)) ] || return 1
		sleep 0.25
	done
}

# The MariaDB client as the admin account of this instance's server.
vr_sql() {
	mariadb --no-defaults -S "$VR_DB_SOCK" -u "$VR_DB_ADMIN" "$@"
}

# --- MariaDB -----------------------------------------------------------------
# Creates the data dir once, starts mariadbd unless it is already running,
# and waits until it answers.  VR_DB_REDO_MB sizes the redo log (MariaDB's
# default, 96, unless set; bench/run writes far more than the tests).
vr_mariadb_start() {
	local asroot=""
	[ "$(id -u)" -ne 0 ] || asroot="--user=root"
	if vr_pid_alive "$VR_DB_PID" &&
	    mariadb-admin --no-defaults -S "$VR_DB_SOCK" -u "$VR_DB_ADMIN" ping >/dev/null 2>&1; then
		vr_log "MariaDB already running ($VR_DB_SOCK)"
		return 0
	fi
	rm -f "$VR_DB_PID" "$VR_DB_SOCK" "$VR_DB_SOCK.lock"
	# Step 1: the data dir, once.
	if [ ! -d "$VR_DATADIR/mysql" ]; then
		vr_log "initialising MariaDB data dir $VR_DATADIR"
		rm -rf "$VR_DATADIR"
		mkdir -p "$VR_DATADIR"
		mariadb-install-db --no-defaults $asroot --datadir="$VR_DATADIR" \
		    --auth-root-authentication-method=socket --skip-test-db \
		    >"$VR_RUN/mariadb-install.log" 2>&1 ||
		    { tail -n 30 "$VR_RUN/mariadb-install.log" >&2;
		      vr_die "mariadb-install-db failed"; }
	fi
	# Step 2: the server, in the background, on its own socket and port.
	vr_log "starting MariaDB (socket $VR_DB_SOCK, 127.0.0.1:$VR_DB_PORT)"
	nohup mariadbd --no-defaults $asroot --datadir="$VR_DATADIR" \
	    --socket="$VR_DB_SOCK" --pid-file="$VR_DB_PID" \
	    --bind-address=127.0.0.1 --port="${VR_DB_PORT:?}" \
	    --skip-log-bin --innodb-buffer-pool-size=256M \
	    --innodb-log-file-size="${VR_DB_REDO_MB:-96}M" \
	    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
	    --log-error="$VR_DB_ERR" </dev/null >/dev/null 2>&1 &
	# Step 3: wait until it answers (or died).
	local pid=$! i=0
	while ! mariadb-admin --no-defaults -S "$VR_DB_SOCK" -u "$VR_DB_ADMIN" \
	    ping >/dev/null 2>&1; do
		if ! kill -0 "$pid" 2>/dev/null || [ "$i" -ge 240 ]; then
			tail -n 30 "$VR_DB_ERR" >&2 2>/dev/null || true
			vr_die "MariaDB did not start (log: $VR_DB_ERR)"
		fi
		i=$((i + 1))
		sleep 0.25
	done
}

vr_mariadb_stop() {
	if [ -S "$VR_DB_SOCK" ] &&
	    mariadb-admin --no-defaults -S "$VR_DB_SOCK" -u "$VR_DB_ADMIN" \
	    shutdown >/dev/null 2>&1; then
		vr_log "MariaDB stopped"
	fi
	# mariadb-admin shutdown waits for the server; fall back to TERM.
	vr_kill_pidfile "$VR_DB_PID" MariaDB 60 || true
	rm -f "$VR_DB_PID"
}

# Generates the plugin's database password once (mode 0600).
vr_db_password() {
	if [ ! -s "$VR_DB_PWFILE" ]; then
		(umask 077; od -An -tx1 -N24 /dev/urandom | tr -d ' \n' >"$VR_DB_PWFILE")
	fi
	chmod 600 "$VR_DB_PWFILE"
}

# Generates the key of the check sheets' digest once (mode 0600).
vr_sheet_secret() {
	if [ ! -s "$VR_SHEET_SECRET" ]; then
		(umask 077; od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$VR_SHEET_SECRET")
	fi
	chmod 600 "$VR_SHEET_SECRET"
}

# Creates the database and the plugin's account (rights on it only).
# With "fresh" as $1 the database is dropped first.
vr_db_setup() {
	local pw
	vr_db_password
	pw=$(cat "$VR_DB_PWFILE")
	if [ "${1:-}" = fresh ]; then
		vr_log "dropping database $VR_DB_NAME"
		vr_sql -e "DROP DATABASE IF EXISTS \`$VR_DB_NAME\`"
	fi
	# 'vr'@'127.0.0.1' is there for TCP clients such as the benchmarks.
	vr_sql <<-EOF
	CREATE DATABASE IF NOT EXISTS \`$VR_DB_NAME\`
	    CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
	CREATE USER IF NOT EXISTS '$VR_DB_USER'@'localhost' IDENTIFIED BY '$pw';
	ALTER USER '$VR_DB_USER'@'localhost' IDENTIFIED BY '$pw';
	CREATE USER IF NOT EXISTS '$VR_DB_USER'@'127.0.0.1' IDENTIFIED BY '$pw';
	ALTER USER '$VR_DB_USER'@'127.0.0.1' IDENTIFIED BY '$pw';
	GRANT ALL PRIVILEGES ON \`$VR_DB_NAME\`.* TO '$VR_DB_USER'@'localhost';
	GRANT ALL PRIVILEGES ON \`$VR_DB_NAME\`.* TO '$VR_DB_USER'@'127.0.0.1';
	EOF
}

# --- the plugin ----------------------------------------------------------------
# Writes run/<instance>/vendor-review.conf.
vr_write_config() {
	vr_sheet_secret
	cat >"$VR_CONF" <<-EOF
	# Generated by scripts/lib.sh for instance "$VR_INSTANCE"; rewritten on every start.
	db_socket $VR_DB_SOCK
	db_user $VR_DB_USER
	db_password_file $VR_DB_PWFILE
	sheet_secret_file $VR_SHEET_SECRET
	db_name $VR_DB_NAME
	listen unix:$VR_SOCK
	threads ${VR_THREADS:-4}
	db_lock_wait_timeout ${VR_LOCK_WAIT:-10}
	max_body 1m
	base_path $VR_API_PATH
	migrations_dir $VR_REPO/sql
	manifest $VR_REPO/plugin-manifests/vendor-review.xml
	user_param VR_USER
	groups_param VR_GROUPS
	group_role requesters requester
	group_role reviewers reviewer
	group_role approvers approver
	group_role auditors auditor
	group_role admins admin
	EOF
}

# Runs the migrations with binary $1 (default: the normal build).
vr_migrate() {
	local bin=${1:-$VR_BIN}
	vr_log "migrate"
	"$bin" -c "$VR_CONF" migrate
}

# Imports the shipped check-sheet templates (again is fine: the command
# says "already imported" for the same content) and national holidays.
vr_import_templates() {
	local bin=${1:-$VR_BIN} t
	for t in "$VR_REPO"/plugin-manifests/templates/*.xml; do
		vr_log "import-template ${t##*/}"
		"$bin" -c "$VR_CONF" import-template "$t"
	done
	vr_log "import-holidays holidays-jp.csv"
	"$bin" -c "$VR_CONF" import-holidays \
	    "$VR_REPO/plugin-manifests/calendar/holidays-jp.csv"
}

# Starts "serve" in the background: vr_plugin_start [BINARY [WRAPPER...]].
# A wrapper (e.g. valgrind ...) runs the binary; the pid file holds the pid
# of the process that was started (valgrind runs the program in-process).
# Leaves the pid in VR_PLUGIN_CHILD so the caller's shell can `wait` on it.
vr_plugin_start() {
	local bin=${1:-$VR_BIN}
	[ $# -eq 0 ] || shift
	if vr_pid_alive "$VR_PLUGIN_PID"; then
		vr_log "plugin already running (pid $(cat "$VR_PLUGIN_PID"))"
		return 0
	fi
	rm -f "$VR_SOCK" "$VR_PLUGIN_PID"
	vr_log "starting plugin: $* $bin serve"
	printf '\n--- %s start: %s %s\n' "$(date '+%F %T')" "$*" "$bin" >>"$VR_PLUGIN_LOG"
	nohup "$@" "$bin" -c "$VR_CONF" serve </dev/null >>"$VR_PLUGIN_LOG" 2>&1 &
	VR_PLUGIN_CHILD=$!
	echo "$VR_PLUGIN_CHILD" >"$VR_PLUGIN_PID"
	# Ready when its socket exists (valgrind may take a while).
	local i=0
	while [ ! -S "$VR_SOCK" ]; do
		if ! kill -0 "$VR_PLUGIN_CHILD" 2>/dev/null || [ "$i" -ge 480 ]; then
			tail -n 40 "$VR_PLUGIN_LOG" >&2
			vr_die "plugin did not come up (log: $VR_PLUGIN_LOG)"
		fi
		i=$((i + 1))
		sleep 0.25
	done
}

# Sends TERM to the pid in file $1 (label $2) and waits up to $3 seconds,
# then KILL.  Returns 1 when nothing was running.
vr_kill_pidfile() {
	local file=$1 what=$2 secs=${3:-30} pid i=0
	vr_pid_alive "$file" || { rm -f "$file"; return 1; }
	pid=$(cat "$file")
	kill -TERM "$pid" 2>/dev/null || true
	while kill -0 "$pid" 2>/dev/null; do
		i=$((i + 1))
		if [ "$i" -ge $((secs * 4)) ]; then
			vr_warn "$what (pid $pid) ignored TERM for ${secs}s; killing"
			kill -KILL "$pid" 2>/dev/null || true
			break
		fi
		sleep 0.25
	done
	rm -f "$file"
	vr_log "$what stopped (pid $pid)"
}

vr_plugin_stop() {
	vr_kill_pidfile "$VR_PLUGIN_PID" plugin 30 || true
	rm -f "$VR_SOCK"
}

# --- nginx ---------------------------------------------------------------------
# Writes the htpasswd file with the demo users (password "demo").
# The demo users' htpasswd, bcrypt unless VR_HTPASSWD_SHA is set: {SHA}
# costs nginx nothing per request, for bench/run (its README says why).
vr_write_htpasswd() {
	local u first=-c flag=-B
	[ -z "${VR_HTPASSWD_SHA:-}" ] || flag=-s
	rm -f "$VR_HTPASSWD"
	for u in $VR_DEMO_USERS; do
		htpasswd -b $flag $first "$VR_HTPASSWD" "$u" "$VR_DEMO_PASSWORD" 2>/dev/null
		first=""
	done
	chmod 644 "$VR_HTPASSWD"
}

# Writes run/<instance>/nginx/nginx.conf.  The server blocks include the
# very snippets an admin ships: deploy/nginx/*.conf.
vr_write_nginx_conf() {
	local d=$VR_NGINX_DIR userline="" web="" noauth=""
	mkdir -p "$d/logs" "$d/tmp/body" "$d/tmp/fastcgi" "$d/tmp/proxy" \
	    "$d/tmp/uwsgi" "$d/tmp/scgi"
	# `include fastcgi_params;` in the snippet is relative to the config
	# dir, as it is in /etc/nginx; point it at Debian's file.
	ln -sf /etc/nginx/fastcgi_params "$d/fastcgi_params"
	# As root, workers would otherwise run as nobody and might not reach
	# the repo (e.g. under /root) or the plugin socket; this instance only
	# listens on 127.0.0.1.
	[ "$(id -u)" -ne 0 ] || userline="user root;"
	if [ -d "$VR_REPO/web" ]; then
		web="
		# The pages (web/), as an admin includes them.
		set \$vr_web_root $VR_REPO/web;
		include $VR_REPO/deploy/nginx/vendor-review-pages.conf;
		location = / {
			return 302 /vendor-review/;
		}"
	fi
	if [ -n "${VR_NOAUTH_PORT:-}" ]; then
		noauth="
	# Test only: no authentication, so the plugin sees an empty identity.
	server {
		listen 127.0.0.1:$VR_NOAUTH_PORT;
		server_name localhost;
		include $VR_REPO/deploy/nginx/vendor-review.conf;
	}"
	fi
	cat >"$VR_NGINX_CONF" <<-EOF
	# Generated by scripts/lib.sh for instance "$VR_INSTANCE"; rewritten on every start.
	$userline
	worker_processes 2;
	error_log $d/logs/error.log;
	events {
		worker_connections 1024;
	}
	http {
		include /etc/nginx/mime.types;
		default_type application/octet-stream;
		access_log $d/logs/access.log;
		sendfile on;
		keepalive_timeout 65;
		server_tokens off;
		client_body_temp_path $d/tmp/body;
		fastcgi_temp_path $d/tmp/fastcgi;
		proxy_temp_path $d/tmp/proxy;
		uwsgi_temp_path $d/tmp/uwsgi;
		scgi_temp_path $d/tmp/scgi;

		# No keepalive: see fastcgi_keep_conn in deploy/nginx/vendor-review.conf.
		upstream vendor_review {
			server unix:$VR_SOCK;
		}

		# Who the user is and which host groups they are in.
		include $VR_REPO/deploy/nginx/demo-auth.conf;
		# The request-rate limit of the vendor's links.
		include $VR_REPO/deploy/nginx/vendor-review-http.conf;

		server {
			listen 127.0.0.1:$VR_NGINX_PORT;
			server_name localhost;
			auth_basic "vendor-review demo";
			auth_basic_user_file $VR_HTPASSWD;
			include $VR_REPO/deploy/nginx/vendor-review.conf;
	$web
		}
	$noauth
	}
	EOF
}

vr_nginx() {
	nginx -p "$VR_NGINX_DIR" -e "$VR_NGINX_DIR/logs/error.log" \
	    -c "$VR_NGINX_CONF" -g "daemon on; pid $VR_NGINX_PID;" "$@"
}

# Checks the configuration, then starts nginx (or reloads a running one).
vr_nginx_start() {
	vr_write_htpasswd
	vr_write_nginx_conf
	vr_nginx -t -q || vr_die "nginx configuration test failed ($VR_NGINX_CONF)"
	if vr_pid_alive "$VR_NGINX_PID"; then
		vr_log "reloading nginx (127.0.0.1:$VR_NGINX_PORT)"
		vr_nginx -s reload
	else
		rm -f "$VR_NGINX_PID"
		vr_nginx_orphans
		vr_log "starting nginx (127.0.0.1:$VR_NGINX_PORT${VR_NOAUTH_PORT:+, no-auth 127.0.0.1:$VR_NOAUTH_PORT})"
		vr_nginx
	fi
}

# A master killed with -9 leaves its workers serving on our ports; their
# command line names nothing, but they hold our log files open.
vr_nginx_orphans() {
	local fd pid
	for fd in /proc/[0-9]*/fd/*; do
		case $(readlink "$fd" 2>/dev/null) in
		"$VR_NGINX_DIR"/logs/*) ;;
		*) continue ;;
		esac
		pid=${fd#/proc/}
		pid=${pid%%/*}
		[ "$pid" != "$$" ] || continue
		vr_warn "stopping nginx process $pid left from a crashed master"
		kill -TERM "$pid" 2>/dev/null || true
	done
	sleep 0.5
}

vr_nginx_stop() {
	local pid i=0
	vr_pid_alive "$VR_NGINX_PID" || { rm -f "$VR_NGINX_PID"; return 0; }
	pid=$(cat "$VR_NGINX_PID")
	vr_nginx -s quit 2>/dev/null || kill -QUIT "$pid" 2>/dev/null || true
	while kill -0 "$pid" 2>/dev/null; do
		i=$((i + 1))
		if [ "$i" -ge 40 ]; then
			kill -TERM "$pid" 2>/dev/null || true
			break
		fi
		sleep 0.25
	done
	rm -f "$VR_NGINX_PID"
	vr_log "nginx stopped (pid $pid)"
}

# --- readiness -------------------------------------------------------------------
# Waits (up to $1 s, default 60) until GET /health answers 200 through nginx.
vr_wait_ready() {
	local secs=${1:-60} i=0
	vr_log "waiting for $VR_BASE_URL/health"
	while ! curl -fsS -o /dev/null -u "requester1:$VR_DEMO_PASSWORD" \
	    "$VR_BASE_URL/health" 2>/dev/null; do
		i=$((i + 1))
		if [ "$i" -ge $((secs * 2)) ] || ! vr_pid_alive "$VR_PLUGIN_PID"; then
			echo "--- last lines of $VR_PLUGIN_LOG:" >&2
			tail -n 40 "$VR_PLUGIN_LOG" >&2 2>/dev/null || true
			echo "--- last lines of $VR_NGINX_DIR/logs/error.log:" >&2
			tail -n 10 "$VR_NGINX_DIR/logs/error.log" >&2 2>/dev/null || true
			curl -sS -u "requester1:$VR_DEMO_PASSWORD" "$VR_BASE_URL/health" >&2 || true
			vr_die "vendor-review is not ready at $VR_BASE_URL/health"
		fi
		sleep 0.5
	done
}

# --- all together --------------------------------------------------------------------
# Starts the whole instance: MariaDB, database, config, migrate, plugin,
# nginx, then waits for /health.  "fresh" as $1 recreates the database.
vr_start_all() {
	vr_mariadb_start
	vr_db_setup "${1:-}"
	vr_write_config
	"$VR_BIN" -c "$VR_CONF" check-config || vr_die "check-config failed: $VR_CONF"
	vr_migrate
	vr_import_templates
	vr_plugin_start
	vr_nginx_start
	vr_wait_ready 60
}

# Stops everything of the instance; fine when parts are already stopped.
vr_stop_all() {
	vr_nginx_stop
	vr_plugin_stop
	vr_mariadb_stop
}
