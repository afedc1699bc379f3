#!/usr/bin/env bash
# shellcheck shell=bash
# Throwaway mail servers for the tests (./test.sh) and the benchmark: Debian's Postfix (SMTP)
# delivering into Debian's Dovecot (IMAP, POP3), both on 127.0.0.1 only, in a temp dir.
#
# Usage: source this file, then (as root: Postfix's master daemon must start as root)
#
#   mail_install_if_missing        # dovecot-imapd, dovecot-pop3d, dovecot-lmtpd, postfix, without
#                                  # starting the system's own mail services
#   trap mail_stop_throwaway EXIT  # set the trap first: a half-started setup is cleaned up too
#   mail_start_throwaway           # new temp dir, certificate, users; Dovecot, then Postfix
#   mail_add_user someone@example.test 'secret'   # optional: more mailboxes, any time
#   mail_stop_throwaway            # stop both, delete the temp dir; safe to call twice. Call it
#                                  # from the shell that started them (they are its children).
#
# mail_start_throwaway exports:
#   ATIENDE_TEST_SMTP_HOST        127.0.0.1 (every service below listens there only)
#   ATIENDE_TEST_SMTP_PORT        Postfix smtpd: plain, STARTTLS offered, AUTH offered (optional)
#   ATIENDE_TEST_SMTPS_PORT       the same behind implicit TLS (what port 465 does)
#   ATIENDE_TEST_IMAP_PORT        Dovecot IMAP: plain and STARTTLS; IDLE is advertised
#   ATIENDE_TEST_IMAPS_PORT       IMAP behind implicit TLS
#   ATIENDE_TEST_POP3_PORT        POP3: plain and STLS
#   ATIENDE_TEST_POP3S_PORT       POP3 behind implicit TLS
#   ATIENDE_TEST_MAIL_PASSWORD    the password of every user below (random for each start)
#   ATIENDE_TEST_MAIL_USERS_DIR   where the users are, one passwd-file each (see "Users")
#   ATIENDE_TEST_MAIL_CERT        the self-signed certificate (PEM; CN and SAN 127.0.0.1,
#                                 localhost, mail.atiende.test) for clients that pin it rather
#                                 than switch certificate checks off
#   ATIENDE_TEST_MAIL_DIR         the temp dir: mail/<domain>/<user>/Maildir, logs (dovecot.log,
#                                 postfix/maillog), configs
# Ports are the first free ones from 52525 up (MAIL_THROWAWAY_FIRST_PORT to start elsewhere).
#
# Users: login names are full addresses, lowercase. Every start creates
#   helpdesk@ support@ postmaster@ agent1@ agent2@ agent3@ atiende.test
#   customer1@ ... customer9@ example.test
# all with $ATIENDE_TEST_MAIL_PASSWORD. To add one at run time, write the file
#   $ATIENDE_TEST_MAIL_USERS_DIR/<address>  containing the line  <address>:{PLAIN}<password>
# (address in lowercase in both places; no ':' or newline in the password); mail_add_user does
# it from bash. The user exists from the next login or delivery on; nothing to reload. (One file
# per user because Dovecot checks a passwd-file for changes at most once a second: a user
# appended to a shared file could be refused for up to a second. Changing a password in an
# existing file is subject to that delay.) Postfix accepts every domain, so any domain works;
# mail to an address without a file is accepted by SMTP, refused by Dovecot, and bounced: the
# sender gets a DSN (multipart/report) in their mailbox within a second or so.
#
# Mail flow: SMTP -> Postfix -> LMTP (unix socket) -> Dovecot -> Maildir -> IMAP/POP3.
# Clients on 127.0.0.1 may send without AUTH (mynetworks); AUTH PLAIN/LOGIN (Dovecot SASL)
# works with or without TLS, and a wrong password is refused. Plus addressing works:
# helpdesk+42@atiende.test is delivered to helpdesk@atiende.test's INBOX.
#
# No zombies: PID 1 in containers may not reap orphans, and Postfix's master dies before its
# children on shutdown. So each server runs under a small Perl "subreaper" (perl-base is always
# installed) that reaps everything its server leaves behind and forwards SIGTERM.
# Do not run `postfix -c ... stop|reload` or `doveadm stop` yourself; use mail_stop_throwaway.
#
# Run this file directly (`bash scripts/mail.sh`) for a smoke test: start, deliver one message
# by SMTP, see it over IMAP, stop.

_MAIL_SCRIPTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/apt.sh
source "$_MAIL_SCRIPTS_DIR/apt.sh"

# The unprivileged owner of every mailbox (Dovecot's mail processes run as this user).
_MAIL_OWNER=atiende-mail

mail_install_if_missing() {
  local -a pkgs=(dovecot-imapd dovecot-pop3d dovecot-lmtpd postfix) missing=() sudo=()
  local pkg
  for pkg in "${pkgs[@]}"; do
    apt_is_installed "$pkg" || missing+=("$pkg")
  done
  ((${#missing[@]} > 0)) || return 0
  ((EUID == 0)) || sudo=(sudo -n)

  # Postfix asks how to configure the system's mail on install: nothing, we run our own.
  echo 'postfix postfix/main_mailer_type select No configuration' |
    "${sudo[@]}" debconf-set-selections || return 1

  # The packages start the system's Postfix and Dovecot on install. We do not need them, and
  # where PID 1 does not reap orphans they leave zombies behind once stopped. A policy-rc.d that
  # answers 101 tells invoke-rc.d not to start anything: ours, only while we install, unless the
  # machine has its own (Docker images ship one). A leftover of ours (interrupted run) is reused.
  local policy=/usr/sbin/policy-rc.d marker='# temporary, from atiende scripts/mail.sh' own_policy=
  if [[ ! -e "$policy" ]] || grep -qxF "$marker" "$policy" 2>/dev/null; then
    printf '#!/bin/sh\n%s\nexit 101\n' "$marker" | "${sudo[@]}" tee "$policy" >/dev/null &&
      "${sudo[@]}" chmod 755 "$policy" && own_policy=1
  fi
  local -a new_services=()
  apt_is_installed postfix || new_services+=(postfix)
  apt_is_installed dovecot-core || new_services+=(dovecot)
  local rc=0
  apt_install_missing "${missing[@]}" || rc=$?
  if [[ -n "$own_policy" ]]; then
    "${sudo[@]}" rm -f "$policy" || true
  fi
  # Should the machine's policy have let them start anyway, stop the services this install
  # brought (not ones that were there before: those belong to the machine).
  local service
  for service in "${new_services[@]}"; do
    "${sudo[@]}" service "$service" stop </dev/null >/dev/null 2>&1 || true
  done
  return "$rc"
}

# The Perl subreaper each server runs under: `perl reaper.pl COMMAND ARGS...`.
# PR_SET_CHILD_SUBREAPER makes orphaned descendants of the server our children instead of
# PID 1's, so they are reaped here. It exits once no descendant is left, with the server's
# status. SIGTERM is forwarded to the server, escalated to SIGKILL of its process group after
# 10 s. The server gets its own session, so a Ctrl-C in the caller's terminal does not reach it.
_mail_write_reaper() {
  cat >"$1" <<'PERL'
use strict;
use warnings;
use POSIX ();

# prctl's syscall number; syscall.ph is only there when the full `perl` package is installed.
my %sys_prctl = (x86_64 => 157, aarch64 => 167, riscv64 => 167, armv7l => 172, armv6l => 172,
                 i686 => 172, i386 => 172, ppc64le => 171, ppc64 => 171, s390x => 172);
my $nr = eval { no warnings; require 'syscall.ph'; &SYS_prctl() }
  // $sys_prctl{(POSIX::uname())[4]} // die "reaper: unknown prctl syscall number\n";
syscall($nr, 36, 1, 0, 0, 0) == 0 or die "reaper: prctl(PR_SET_CHILD_SUBREAPER): $!\n";

my $pid;
$SIG{TERM} = sub { kill 'TERM', $pid if $pid; alarm 10 };
$SIG{ALRM} = sub { kill 'KILL', -$pid if $pid };
$pid = fork // die "reaper: fork: $!\n";
if ($pid == 0) {
  $SIG{TERM} = $SIG{ALRM} = 'DEFAULT';
  POSIX::setsid();
  exec @ARGV or die "reaper: exec $ARGV[0]: $!\n";
}
$SIG{$_} = 'IGNORE' for qw(INT HUP QUIT);
my $status = 0;
while ((my $done = waitpid(-1, 0)) > 0) {
  $status = $? if $done == $pid;
}
exit($status & 127 ? 128 + ($status & 127) : $status >> 8);
PERL
}

# True when something already accepts connections on 127.0.0.1:PORT (bash's /dev/tcp, so no
# need for ss or netstat). A port taken between this check and the bind is retried below.
_mail_port_busy() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Sets _MAIL_PORTS to 6 free ports from $1 up (smtp smtps imap imaps pop3 pop3s).
_mail_pick_ports() {
  local port=$1
  _MAIL_PORTS=()
  while ((${#_MAIL_PORTS[@]} < 6)); do
    if ((port > 65535)); then
      echo "error: no free ports for the mail servers from $1 up" >&2
      return 1
    fi
    _mail_port_busy "$port" || _MAIL_PORTS+=("$port")
    port=$((port + 1))
  done
}

# True when one of the ports in _MAIL_PORTS accepts connections.
_mail_ports_taken() {
  local port
  for port in "${_MAIL_PORTS[@]}"; do
    _mail_port_busy "$port" && return 0
  done
  return 1
}

# Creates the mailbox owner when missing (a system user, no home, no shell).
_mail_ensure_owner() {
  id -u "$_MAIL_OWNER" >/dev/null 2>&1 ||
    useradd --system --user-group --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin "$_MAIL_OWNER"
}

# Adds a user: mail_add_user ADDRESS [PASSWORD] (PASSWORD defaults to $ATIENDE_TEST_MAIL_PASSWORD).
mail_add_user() {
  local dir=${ATIENDE_TEST_MAIL_USERS_DIR:-} address=${1:-} password=${2-${ATIENDE_TEST_MAIL_PASSWORD:-}}
  if [[ -z "$dir" ]]; then
    echo "error: mail_add_user: no throwaway mail servers running" >&2
    return 1
  fi
  address=${address,,}
  if [[ ! "$address" =~ ^[^:@/[:space:]]+@[^:@/[:space:]]+$ ]]; then
    echo "error: mail_add_user: not an address: '${1:-}'" >&2
    return 1
  fi
  if [[ -z "$password" || "$password" == *:* || "$password" == *$'\n'* ]]; then
    echo "error: mail_add_user: the password must be non-empty, without ':' or newline" >&2
    return 1
  fi
  if [[ -e "$dir/$address" ]]; then
    echo "error: mail_add_user: $address already exists" >&2
    return 1
  fi
  printf '%s:{PLAIN}%s\n' "$address" "$password" >"$dir/$address"
}

# Writes Dovecot's config for the ports in _MAIL_PORTS. Self-contained: nothing from /etc/dovecot.
_mail_write_dovecot_conf() {
  local d=$ATIENDE_TEST_MAIL_DIR uid gid
  uid=$(id -u "$_MAIL_OWNER") && gid=$(id -g "$_MAIL_OWNER") || return 1
  cat >"$d/dovecot/dovecot.conf" <<CONF
# Throwaway Dovecot for tests (scripts/mail.sh). Started as: dovecot -F -c <this file>
base_dir = $d/dovecot/run
state_dir = $d/dovecot/state
hostname = mail.atiende.test
protocols = imap pop3 lmtp
listen = 127.0.0.1
log_path = $d/dovecot.log
# Log why a login failed: saves guessing when a test cannot log in.
auth_verbose = yes

ssl = yes
ssl_cert = <$d/tls/cert.pem
ssl_key = <$d/tls/key.pem
# Tests log in over plain connections too (it is loopback).
disable_plaintext_auth = no
auth_mechanisms = plain login
# A wrong password answers at once, not after 2 s, and failed logins do not slow down the next
# ones from 127.0.0.1 (the auth penalty): tests exercise failures.
auth_failure_delay = 0
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}

# Users: one passwd-file per address (users/<address>, one "address:{PLAIN}password" line), so
# a user added at run time is seen at once. Every mailbox belongs to one system user, under
# mail/<domain>/<user>. Without allow_all_users, the static userdb asks the passdb whether a
# user exists: an address without a file does not, so LMTP refuses it and Postfix bounces the
# message to its sender.
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%Lu $d/dovecot/users/%Lu
}
userdb {
  driver = static
  args = uid=$uid gid=$gid home=$d/mail/%Ld/%Ln
}
first_valid_uid = $uid
last_valid_uid = $uid
first_valid_gid = $gid
mail_location = maildir:~/Maildir
# Durability is pointless for mail deleted after the run.
mail_fsync = never
# Tests and benchmarks open many connections per user, all from 127.0.0.1.
mail_max_userip_connections = 1000

service imap-login {
  inet_listener imap {
    port = ${_MAIL_PORTS[2]}
  }
  inet_listener imaps {
    port = ${_MAIL_PORTS[3]}
    ssl = yes
  }
}
service pop3-login {
  inet_listener pop3 {
    port = ${_MAIL_PORTS[4]}
  }
  inet_listener pop3s {
    port = ${_MAIL_PORTS[5]}
    ssl = yes
  }
}
# Postfix (its lmtp client and smtpd, running as the postfix user) delivers and authenticates here.
service lmtp {
  unix_listener lmtp {
    mode = 0600
    user = postfix
    group = postfix
  }
}
# Root, so that it reads the users' files whatever the umask of the test that wrote them.
service auth {
  user = root
  unix_listener auth-postfix {
    mode = 0600
    user = postfix
    group = postfix
  }
}
protocol lmtp {
  postmaster_address = postmaster@atiende.test
}
CONF
}

# Writes Postfix's main.cf and master.cf for the ports in _MAIL_PORTS.
_mail_write_postfix_conf() {
  local d=$ATIENDE_TEST_MAIL_DIR
  cat >"$d/postfix/etc/main.cf" <<CONF
# Throwaway Postfix for tests (scripts/mail.sh); its own config, queue and data directories.
compatibility_level = 3.6
queue_directory = $d/postfix/queue
data_directory = $d/postfix/data
# No syslog in containers: log to a file (written by the postlog service in master.cf).
maillog_file = $d/postfix/maillog
maillog_file_prefixes = $d
myhostname = mail.atiende.test
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
biff = no

# Everything stays local. Every domain is a "virtual mailbox domain" handed to Dovecot over
# LMTP, which knows the users: unknown ones are refused there, and Postfix bounces them with a
# DSN to the sender. No local delivery, no relaying to the outside, no DNS.
mydestination =
local_recipient_maps =
alias_maps =
alias_database =
relayhost =
relay_domains =
virtual_mailbox_domains = static:all
virtual_transport = lmtp:unix:$d/dovecot/run/lmtp
recipient_delimiter = +
smtp_dns_support_level = disabled
lmtp_dns_support_level = disabled
smtp_host_lookup = native
lmtp_host_lookup = native

# Clients on loopback may send without AUTH; AUTH (checked by Dovecot) is offered anyway, with
# or without TLS, so tests can exercise it. STARTTLS on the plain port, implicit TLS on smtps.
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination
smtpd_sasl_auth_enable = yes
smtpd_sasl_type = dovecot
smtpd_sasl_path = $d/dovecot/run/auth-postfix
smtpd_tls_security_level = may
smtpd_tls_cert_file = $d/tls/cert.pem
smtpd_tls_key_file = $d/tls/key.pem

# Quick for tests and benchmarks: no tarpit after client errors, no flow-control delays,
# short retries when Dovecot answers "try later", room for big attachments (50 MB).
smtpd_error_sleep_time = 0s
in_flow_delay = 0s
queue_run_delay = 10s
minimal_backoff_time = 10s
maximal_backoff_time = 60s
message_size_limit = 52428800
CONF

  # No chroot (it would need copies of /etc files in the queue directory). Only the services
  # this setup uses.
  cat >"$d/postfix/etc/master.cf" <<CONF
# service                  type  private unpriv chroot wakeup maxproc command + args
127.0.0.1:${_MAIL_PORTS[0]} inet  n       -      n      -      -       smtpd
127.0.0.1:${_MAIL_PORTS[1]} inet  n       -      n      -      -       smtpd
  -o smtpd_tls_wrappermode=yes
  -o smtpd_tls_security_level=encrypt
pickup                     unix  n       -      n      60     1       pickup
cleanup                    unix  n       -      n      -      0       cleanup
qmgr                       unix  n       -      n      300    1       qmgr
tlsmgr                     unix  -       -      n      1000?  1       tlsmgr
rewrite                    unix  -       -      n      -      -       trivial-rewrite
bounce                     unix  -       -      n      -      0       bounce
defer                      unix  -       -      n      -      0       bounce
trace                      unix  -       -      n      -      0       bounce
verify                     unix  -       -      n      -      1       verify
flush                      unix  n       -      n      1000?  0       flush
proxymap                   unix  -       -      n      -      -       proxymap
proxywrite                 unix  -       -      n      -      1       proxymap
smtp                       unix  -       -      n      -      -       smtp
relay                      unix  -       -      n      -      -       smtp
showq                      unix  n       -      n      -      -       showq
error                      unix  -       -      n      -      -       error
retry                      unix  -       -      n      -      -       error
discard                    unix  -       -      n      -      -       discard
lmtp                       unix  -       -      n      -      -       lmtp
anvil                      unix  -       -      n      -      1       anvil
scache                     unix  -       -      n      -      1       scache
postlog                    unix-dgram n  -      n      -      1       postlogd
CONF
  # Postfix waits until a config file is at least a second old (it might be half written):
  # seconds of start-up for files we just wrote in one go.
  touch -d '-1 minute' "$d/postfix/etc/main.cf" "$d/postfix/etc/master.cf"
}

# Starts COMMAND... under the reaper, logging to LOG, and stores the reaper's pid in the
# variable named VAR: _mail_spawn VAR LOG COMMAND... It must be this shell's child (not started
# from a $(...) subshell), so that this shell reaps it.
_mail_spawn() {
  local pid_var=$1 log=$2
  shift 2
  (cd / && exec perl "$ATIENDE_TEST_MAIL_DIR/reaper.pl" "$@") </dev/null >>"$log" 2>&1 &
  printf -v "$pid_var" '%s' "$!"
}

# _mail_wait_ready VAR LOG LINE [SOCKET...]: waits (30 s at most) until LOG holds LINE, which
# the server logs once all its listeners are bound (so a port another process took in the
# meantime cannot pass for ours), and every SOCKET exists. Fails at once when the reaper whose
# pid is in the variable named VAR exits, i.e. the server died.
_mail_wait_ready() {
  local pid_var=$1 log=$2 line=$3 i socket ready
  shift 3
  for ((i = 0; i < 600; i++)); do
    if ! kill -0 "${!pid_var}" 2>/dev/null; then
      wait "${!pid_var}" 2>/dev/null || true
      unset "$pid_var"
      return 1
    fi
    ready=
    if grep -qF "$line" "$log" 2>/dev/null; then
      ready=1
      for socket in "$@"; do
        [[ -S "$socket" ]] || ready=
      done
    fi
    [[ -z "$ready" ]] || return 0
    sleep 0.05
  done
  echo "error: no '$line' in $log within 30 s" >>"$log"
  return 1
}

# Stops the server under the reaper whose pid is in the variable named $1, and reaps it.
_mail_stop_one() {
  local pid_var=$1 pid i
  pid=${!pid_var:-}
  [[ -n "$pid" ]] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  # The reaper exits once its server and every process under it are gone (SIGKILL after 10 s).
  wait "$pid" 2>/dev/null || true
  # Not our child (called from another shell than the one that started it): poll instead.
  for ((i = 0; i < 300; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  unset "$pid_var"
}

# One attempt at starting Dovecot and then Postfix on the ports in _MAIL_PORTS.
_mail_start_servers() {
  local d=$ATIENDE_TEST_MAIL_DIR
  _mail_write_dovecot_conf && _mail_write_postfix_conf || return 1
  : >"$d/dovecot.log"
  : >"$d/postfix/maillog"
  _mail_spawn _MAIL_DOVECOT_PID "$d/dovecot-stderr.log" dovecot -F -c "$d/dovecot/dovecot.conf"
  if ! _mail_wait_ready _MAIL_DOVECOT_PID "$d/dovecot.log" ' starting up for ' \
    "$d/dovecot/run/lmtp" "$d/dovecot/run/auth-postfix"; then
    return 1
  fi

  # `postfix check` creates the queue directories with the right owners and checks the config.
  if ! postfix -c "$d/postfix/etc" check >"$d/postfix/check.log" 2>&1; then
    return 1
  fi
  # The master daemon itself, in the foreground: `postfix start` would daemonize it away from
  # the reaper.
  local daemon_dir
  daemon_dir=$(postconf -c "$d/postfix/etc" -h daemon_directory) || return 1
  _MAIL_POSTFIX_TRIED=1
  _mail_spawn _MAIL_POSTFIX_PID "$d/postfix/master.log" "$daemon_dir/master" -c "$d/postfix/etc"
  _mail_wait_ready _MAIL_POSTFIX_PID "$d/postfix/maillog" ': daemon started -- '
}

# Prints the logs that explain a failed start.
_mail_show_logs() {
  local f
  for f in dovecot-stderr.log dovecot.log postfix/check.log postfix/master.log postfix/maillog; do
    if [[ -s "$ATIENDE_TEST_MAIL_DIR/$f" ]]; then
      echo "--- $f" >&2
      tail -n 30 "$ATIENDE_TEST_MAIL_DIR/$f" >&2
    fi
  done
  if [[ -n "${_MAIL_POSTFIX_TRIED:-}" ]] && ! grep -qs ': daemon started -- ' \
    "$ATIENDE_TEST_MAIL_DIR/postfix/maillog"; then
    echo "(Postfix's master died before its start-up was logged: it logs through its postlog" \
      "service, which was not running yet. Look for a port in use or a bad master.cf line.)" >&2
  fi
}

mail_start_throwaway() {
  # _MAIL_THROWAWAY_DIR, not the exported ATIENDE_TEST_MAIL_DIR: a child shell (./test.sh run
  # from a shell with servers of its own) starts and later deletes only its own.
  if [[ -n "${_MAIL_THROWAWAY_DIR:-}" ]]; then
    echo "error: throwaway mail servers are already running in $_MAIL_THROWAWAY_DIR" >&2
    return 1
  fi
  if ((EUID != 0)); then
    echo "error: the throwaway mail servers need root (Postfix's master daemon runs as root)" >&2
    return 1
  fi
  mail_install_if_missing || return 1
  _mail_ensure_owner || return 1

  local d
  d=$(mktemp -d /tmp/atiende-mail.XXXXXX) || return 1
  _MAIL_THROWAWAY_DIR=$d
  export ATIENDE_TEST_MAIL_DIR=$d
  # The servers' unprivileged users (postfix, dovecot, atiende-mail) must reach their parts.
  chmod 711 "$d" || return 1
  mkdir -p "$d/tls" "$d/dovecot/run" "$d/dovecot/state" "$d/postfix/etc" "$d/postfix/queue" \
    "$d/postfix/data" "$d/mail" || return 1
  chown postfix: "$d/postfix/data" && chmod 700 "$d/postfix/data" || return 1
  chown "$_MAIL_OWNER:" "$d/mail" && chmod 700 "$d/mail" || return 1
  _mail_write_reaper "$d/reaper.pl"

  # A self-signed certificate for STARTTLS and implicit TLS; an EC key is generated instantly.
  if ! openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 7 \
    -subj /CN=127.0.0.1 -addext 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:mail.atiende.test' \
    -keyout "$d/tls/key.pem" -out "$d/tls/cert.pem" >"$d/tls/openssl.log" 2>&1; then
    echo "error: openssl could not make a certificate:" >&2
    cat "$d/tls/openssl.log" >&2
    return 1
  fi
  chmod 600 "$d/tls/key.pem" && chmod 644 "$d/tls/cert.pem" || return 1
  export ATIENDE_TEST_MAIL_CERT=$d/tls/cert.pem

  # The fixed users, all with one random password.
  export ATIENDE_TEST_MAIL_PASSWORD ATIENDE_TEST_MAIL_USERS_DIR=$d/dovecot/users
  ATIENDE_TEST_MAIL_PASSWORD=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
  mkdir -m 700 "$ATIENDE_TEST_MAIL_USERS_DIR" || return 1
  local user
  for user in helpdesk support postmaster agent1 agent2 agent3; do
    mail_add_user "$user@atiende.test" || return 1
  done
  for user in {1..9}; do
    mail_add_user "customer$user@example.test" || return 1
  done

  # Ports are checked free first, but another run may take one before we bind it: then try the
  # next ones. Any other failure is real.
  local first=${MAIL_THROWAWAY_FIRST_PORT:-52525} attempt
  for ((attempt = 1; ; attempt++)); do
    _mail_pick_ports "$first" || return 1
    _mail_start_servers && break
    # Stop whichever did start; then a port of ours that still answers belongs to someone else.
    # (Checked that way as well as in the logs, because Postfix's master dies of it silently:
    # it logs through its postlog service, which it had not started yet.)
    _mail_stop_one _MAIL_POSTFIX_PID
    _mail_stop_one _MAIL_DOVECOT_PID
    if ((attempt < 5)) &&
      { grep -qs 'Address already in use' "$d"/*.log || _mail_ports_taken; }; then
      first=$((_MAIL_PORTS[5] + 1))
      continue
    fi
    echo "error: the throwaway mail servers did not start; their logs:" >&2
    _mail_show_logs
    return 1
  done

  export ATIENDE_TEST_SMTP_HOST=127.0.0.1
  export ATIENDE_TEST_SMTP_PORT=${_MAIL_PORTS[0]} ATIENDE_TEST_SMTPS_PORT=${_MAIL_PORTS[1]}
  export ATIENDE_TEST_IMAP_PORT=${_MAIL_PORTS[2]} ATIENDE_TEST_IMAPS_PORT=${_MAIL_PORTS[3]}
  export ATIENDE_TEST_POP3_PORT=${_MAIL_PORTS[4]} ATIENDE_TEST_POP3S_PORT=${_MAIL_PORTS[5]}
  echo "==> Postfix $(postconf -d -h mail_version) and Dovecot $(dovecot --version | cut -d' ' -f1)" \
    "on 127.0.0.1: smtp $ATIENDE_TEST_SMTP_PORT, smtps $ATIENDE_TEST_SMTPS_PORT," \
    "imap $ATIENDE_TEST_IMAP_PORT, imaps $ATIENDE_TEST_IMAPS_PORT," \
    "pop3 $ATIENDE_TEST_POP3_PORT, pop3s $ATIENDE_TEST_POP3S_PORT ($d)"
}

mail_stop_throwaway() {
  local d=${_MAIL_THROWAWAY_DIR:-}
  # Postfix first: it may be delivering into Dovecot.
  _mail_stop_one _MAIL_POSTFIX_PID
  _mail_stop_one _MAIL_DOVECOT_PID
  # Only ever delete a directory this file created.
  case "$d" in
    /tmp/atiende-mail.*) rm -rf -- "$d" ;;
  esac
  unset ATIENDE_TEST_MAIL_DIR ATIENDE_TEST_MAIL_CERT ATIENDE_TEST_MAIL_PASSWORD \
    ATIENDE_TEST_MAIL_USERS_DIR ATIENDE_TEST_SMTP_HOST ATIENDE_TEST_SMTP_PORT \
    ATIENDE_TEST_SMTPS_PORT ATIENDE_TEST_IMAP_PORT ATIENDE_TEST_IMAPS_PORT \
    ATIENDE_TEST_POP3_PORT ATIENDE_TEST_POP3S_PORT _MAIL_PORTS _MAIL_POSTFIX_TRIED \
    _MAIL_THROWAWAY_DIR
  return 0
}

# Smoke test when run directly instead of sourced: one message by SMTP, then read over IMAP.
# Plain bash (/dev/tcp) so that it needs nothing else.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  trap mail_stop_throwaway EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  mail_start_throwaway

  # Sends one command line on fd 3 (none when empty) and prints the reply, which ends with a
  # line starting with the tag $2 (IMAP) or, for SMTP, with a code and a space.
  _smoke() {
    local line end=${2:-'[0-9][0-9][0-9] '}
    [[ -z "$1" ]] || printf '%s\r\n' "$1" >&3
    while IFS= read -r -t 10 line <&3; do
      printf '  %s\n' "${line%$'\r'}"
      [[ "$line" != $end* ]] || return 0
    done
    echo "error: no complete reply to '$1'" >&2
    return 1
  }
  exec 3<>"/dev/tcp/127.0.0.1/$ATIENDE_TEST_SMTP_PORT"
  _smoke ''
  _smoke 'EHLO smoke.test'
  _smoke 'MAIL FROM:<helpdesk@atiende.test>'
  _smoke 'RCPT TO:<customer1@example.test>'
  _smoke 'DATA'
  _smoke $'Subject: smoke test\r\n\r\nHello from scripts/mail.sh.\r\n.'
  _smoke 'QUIT'
  exec 3<&-

  exec 3<>"/dev/tcp/127.0.0.1/$ATIENDE_TEST_IMAP_PORT"
  _smoke '' '* OK'
  _smoke "a LOGIN customer1@example.test $ATIENDE_TEST_MAIL_PASSWORD" 'a '
  # Delivery takes a moment: Postfix queues, then hands the message to Dovecot.
  for ((i = 0; i < 100; i++)); do
    status=$(_smoke 'b STATUS INBOX (MESSAGES)' 'b ')
    [[ "$status" != *'MESSAGES 1'* ]] || break
    sleep 0.1
  done
  echo "$status"
  _smoke 'c SELECT INBOX' 'c ' >/dev/null
  _smoke 'd FETCH 1 BODY[HEADER.FIELDS (SUBJECT)]' 'd '
  _smoke 'e LOGOUT' 'e '
  exec 3<&-
fi
