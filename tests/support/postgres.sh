# Starts a private PostgreSQL 15 for a test run, as dovecot.sh starts
# Dovecot: a new cluster in DIR/data made by Debian's initdb, listening on
# 127.0.0.1 on a free port and on a unix socket in DIR, trusting local
# connections (it is reachable only from this machine and lives for one
# run). PostgreSQL refuses to run as root, so when the test runs as root
# the cluster belongs to Debian's `postgres` system user and its commands
# run through runuser; otherwise they run as the calling user. Durability
# is switched off (fsync, full_page_writes): the data is thrown away;
# synchronous_commit keeps its default, which tests of the store check.
# POSTGRES_OPTIONS (server options, "-c name=value …") are added after
# these and win over them: bench/imap-watch turns durability back on.
# DIR's parent must be searchable by that user.
# Sourced by tests; defines postgres_start DIR, postgres_stop and
# postgres_createdb NAME, and sets POSTGRES_PORT, POSTGRES_USER (the
# cluster's superuser, "duly") and POSTGRES_URL (postgresql://duly@127.0.0.1:PORT,
# without a database). Fails, saying to run scripts/setup, when the
# PostgreSQL 15 binaries are missing.

POSTGRES_BIN=${POSTGRES_BIN:-/usr/lib/postgresql/15/bin}

postgres_free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

postgres_as() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

postgres_start() {  # DIR
  if [ ! -x "$POSTGRES_BIN/initdb" ] || [ ! -x "$POSTGRES_BIN/pg_ctl" ]; then
    echo "postgres.sh: PostgreSQL 15 is not installed ($POSTGRES_BIN/initdb is missing); run scripts/setup" >&2
    return 1
  fi
  if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
    echo "postgres.sh: running as root but there is no 'postgres' user to run PostgreSQL as; run scripts/setup" >&2
    return 1
  fi
  POSTGRES_DIR="$1"
  mkdir -p "$POSTGRES_DIR"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$POSTGRES_DIR"
  chmod 0700 "$POSTGRES_DIR"
  POSTGRES_USER=duly
  POSTGRES_PORT=$(postgres_free_port)
  postgres_as "$POSTGRES_BIN/initdb" -D "$POSTGRES_DIR/data" -U "$POSTGRES_USER" --auth=trust \
    --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$POSTGRES_DIR/initdb.log" 2>&1 || {
    echo "postgres.sh: initdb failed:" >&2; cat "$POSTGRES_DIR/initdb.log" >&2; return 1; }
  postgres_as "$POSTGRES_BIN/pg_ctl" -D "$POSTGRES_DIR/data" -l "$POSTGRES_DIR/postgres.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$POSTGRES_PORT -c unix_socket_directories=$POSTGRES_DIR -c fsync=off -c full_page_writes=off -c max_connections=100 ${POSTGRES_OPTIONS:-}" \
    start >/dev/null || {
    echo "postgres.sh: the server did not start:" >&2; cat "$POSTGRES_DIR/postgres.log" >&2; return 1; }
  POSTGRES_URL="postgresql://$POSTGRES_USER@127.0.0.1:$POSTGRES_PORT"
  export POSTGRES_DIR POSTGRES_PORT POSTGRES_USER POSTGRES_URL
}

postgres_createdb() {  # NAME
  "$POSTGRES_BIN/createdb" -h 127.0.0.1 -p "$POSTGRES_PORT" -U "$POSTGRES_USER" "$1"
}

postgres_stop() {
  [ -n "${POSTGRES_DIR:-}" ] || return 0
  postgres_as "$POSTGRES_BIN/pg_ctl" -D "$POSTGRES_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$POSTGRES_DIR"
  POSTGRES_DIR=
}
