# Starts a private Dovecot for a test: IMAP with STARTTLS on one loopback
# port and implicit TLS on another, a passwd-file of users, Maildirs under
# DIR/mail/USER, and a certificate for 127.0.0.1/localhost made here with
# openssl. Runs unprivileged: as the calling user, or as `nobody` when the
# test runs as root. Sourced by the tests; defines dovecot_start DIR,
# dovecot_stop, dovecot_user NAME PASSWORD, and sets IMAP_PORT, IMAPS_PORT,
# DOVECOT_CONF, DOVECOT_CERT, DOVECOT_OWNER. DOVECOT_EXTRA, if set, is
# added to the configuration (to take capabilities away, say).

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

dovecot_user() {  # NAME PASSWORD
  printf '%s:{PLAIN}%s\n' "$1" "$2" >> "$DOVECOT_DIR/passwd"
  mkdir -p "$DOVECOT_DIR/mail/$1/new" "$DOVECOT_DIR/mail/$1/cur" "$DOVECOT_DIR/mail/$1/tmp"
  chown -R "$DOVECOT_OWNER" "$DOVECOT_DIR/mail"
}

dovecot_as() { if [ "$(id -u)" -eq 0 ]; then setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; else "$@"; fi; }

dovecot_start() {  # DIR
  DOVECOT_DIR="$1"; mkdir -p "$DOVECOT_DIR/run" "$DOVECOT_DIR/state" "$DOVECOT_DIR/mail" "$DOVECOT_DIR/home"
  local user group
  if [ "$(id -u)" -eq 0 ]; then user=nobody; group=nogroup; else user=$(id -un); group=$(id -gn); fi
  DOVECOT_OWNER="$user:$group"
  IMAP_PORT=$(free_port); IMAPS_PORT=$(free_port)
  DOVECOT_CERT="$DOVECOT_DIR/cert.pem"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$DOVECOT_DIR/key.pem" -out "$DOVECOT_CERT" 2>/dev/null || return 1
  touch "$DOVECOT_DIR/passwd"
  DOVECOT_CONF="$DOVECOT_DIR/dovecot.conf"
  cat > "$DOVECOT_CONF" <<CONF
base_dir = $DOVECOT_DIR/run
state_dir = $DOVECOT_DIR/state
log_path = $DOVECOT_DIR/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <$DOVECOT_CERT
ssl_key = <$DOVECOT_DIR/key.pem
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = no
auth_mechanisms = plain
mail_location = maildir:$DOVECOT_DIR/mail/%u
default_login_user = $user
default_internal_user = $user
default_internal_group = $group
first_valid_uid = 0
mailbox_idle_check_interval = 1 secs
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $DOVECOT_DIR/passwd
}
userdb {
  driver = static
  args = uid=$user gid=$group home=$DOVECOT_DIR/home/%u
}
namespace inbox {
  inbox = yes
  separator = /
  mailbox Processed {
    auto = create
  }
}
service imap-login {
  chroot =
  inet_listener imap {
    port = $IMAP_PORT
  }
  inet_listener imaps {
    port = $IMAPS_PORT
    ssl = yes
  }
}
service anvil {
  chroot =
}
service stats {
  chroot =
}
${DOVECOT_EXTRA:-}
CONF
  chown -R "$DOVECOT_OWNER" "$DOVECOT_DIR"
  chmod 755 "$(dirname "$DOVECOT_DIR")"
  dovecot_as dovecot -c "$DOVECOT_CONF" || { cat "$DOVECOT_DIR/dovecot.log" 2>/dev/null; return 1; }
  local i
  for i in $(seq 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$IMAP_PORT") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "dovecot did not listen on 127.0.0.1:$IMAP_PORT"; cat "$DOVECOT_DIR/dovecot.log"; return 1
}

dovecot_stop() {
  [ -n "${DOVECOT_CONF:-}" ] || return 0
  dovecot_as doveadm -c "$DOVECOT_CONF" stop 2>/dev/null || true
  DOVECOT_CONF=
}
