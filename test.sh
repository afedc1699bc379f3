#!/usr/bin/env bash
# Runs every test. This is the test command the README documents, and what CI runs (.ci/run).
#
#   ./test.sh                        format check, Release build, every test
#   ./test.sh --filter Lifecycle     extra arguments go to `dotnet test`
#
# It installs the Debian packages the tests need when they are missing (apt-get; as root or
# with passwordless sudo), starts a throwaway PostgreSQL and throwaway mail servers (Postfix
# and Dovecot; these need root) for the run and always removes them, and ends with one line
# "N passed, N failed" (", N skipped" when some were skipped).
# The exit code is non-zero when the format check, the build or any test fails.
#
# Exported to the tests:
#   ATIENDE_TEST_PG      Npgsql connection string for a superuser on the throwaway cluster:
#                        Host=127.0.0.1;Port=...;Username=postgres;Password=...;Database=postgres
#                        (tests create and drop their own databases)
#   ATIENDE_TEST_PG_BIN  that PostgreSQL's bin directory (initdb, pg_ctl, psql, pg_dump, ...)
#   ATIENDE_TEST_SMTP_HOST        127.0.0.1, where all the mail services below listen
#   ATIENDE_TEST_SMTP_PORT        Postfix: plain, STARTTLS, optional AUTH (127.0.0.1 may send
#                                 without it); ATIENDE_TEST_SMTPS_PORT the same in implicit TLS
#   ATIENDE_TEST_IMAP_PORT        Dovecot IMAP (plain, STARTTLS, IDLE); ATIENDE_TEST_IMAPS_PORT
#   ATIENDE_TEST_POP3_PORT        Dovecot POP3 (plain, STLS); ATIENDE_TEST_POP3S_PORT
#   ATIENDE_TEST_MAIL_PASSWORD    password of the fixed users helpdesk@, support@, postmaster@,
#                                 agent1..3@atiende.test and customer1..9@example.test
#   ATIENDE_TEST_MAIL_USERS_DIR   add a user: write <address>:{PLAIN}<password> to a file named
#                                 <address> here (lowercase); mail to unknown users bounces (DSN)
#   ATIENDE_TEST_MAIL_CERT        the servers' self-signed certificate (PEM)
#   ATIENDE_TEST_MAIL_DIR         their temp dir: Maildirs under mail/, logs
#                                 (details in scripts/mail.sh)
# TRX files of the last run are kept in TestResults/ (gitignored).
set -euo pipefail

# Work from the repository root whatever the caller's cwd.
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"
# shellcheck source=scripts/apt.sh
source scripts/apt.sh
# shellcheck source=scripts/postgres.sh
source scripts/postgres.sh
# shellcheck source=scripts/mail.sh
source scripts/mail.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
solution=Atiende.slnx
results_dir=$PWD/TestResults

# --- What the tests need from Debian: one function per need, called in the list below. ---

need_postgres() {
  pg_install_if_missing
}

# For the mail tests against real servers: Dovecot and Postfix, installed without starting the
# system's own services (the tests run their own instances, see scripts/mail.sh).
need_mail_servers() {
  mail_install_if_missing
}

# For the browser tests (Playwright drives Debian's Chromium). Not needed yet: add it below.
# shellcheck disable=SC2317 # called once it is added to the list
need_chromium() {
  apt_install_missing chromium
}

need_postgres
need_mail_servers
# need_chromium

if ! command -v dotnet >/dev/null; then
  echo "error: dotnet not found; install the .NET 10 SDK" \
    "(https://learn.microsoft.com/dotnet/core/install/linux-debian)" >&2
  exit 1
fi

# --- Closing summary ---

# Sums the <Counters .../> of every TRX file under $1 and prints "passed failed skipped".
# awk rather than xmllint, which Debian does not install by default. Older TRX loggers leave
# notExecuted at 0 and count skipped tests only in total, hence the max of the two.
trx_counts() {
  local -a files=()
  if [[ -d "$1" ]]; then
    mapfile -d '' files < <(find "$1" -type f -name '*.trx' -print0)
  fi
  if ((${#files[@]} == 0)); then
    echo "0 0 0"
    return
  fi
  awk 'BEGIN { RS = ">" }          # one record per XML tag; attributes become fields
    $1 == "<Counters" {
      split("", c)
      for (i = 2; i <= NF; i++)
        if (split($i, kv, "=") == 2) { gsub(/"/, "", kv[2]); c[kv[1]] = kv[2] + 0 }
      failed = c["failed"] + c["error"] + c["timeout"] + c["aborted"]
      skipped = c["total"] - c["passed"] - failed
      if (c["notExecuted"] > skipped) skipped = c["notExecuted"]
      if (skipped < 0) skipped = 0
      P += c["passed"]; F += failed; S += skipped
    }
    END { print P + 0, F + 0, S + 0 }' "${files[@]}"
}

failures=()

# Prints what failed and the closing line, then exits.
finish() {
  local counts passed failed skipped line reason
  counts=$(trx_counts "$results_dir") || counts="0 0 0"
  read -r passed failed skipped <<<"$counts"
  for reason in "${failures[@]}"; do
    echo "FAILED: $reason"
  done
  line="$passed passed, $failed failed"
  ((skipped == 0)) || line+=", $skipped skipped"
  echo "$line"
  if ((${#failures[@]} > 0 || failed > 0)); then
    exit 1
  fi
  exit 0
}

# --- The run ---

# However we leave (failure, Ctrl-C, kill), stop the servers and delete their temp dirs.
trap 'mail_stop_throwaway; pg_stop_throwaway' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Stale TRX files from an earlier run would be counted in the summary.
rm -rf "$results_dir"

echo "==> dotnet format --verify-no-changes"
# A drift fails the run, but build and tests still run so one pass reports everything.
if ! dotnet format "$solution" --verify-no-changes; then
  failures+=("dotnet format --verify-no-changes (run 'dotnet format $solution' and commit the result)")
fi

echo "==> dotnet build -c Release"
if ! dotnet build "$solution" -c Release; then
  failures+=("dotnet build")
  finish
fi

# PostgreSQL and the mail servers live exactly as long as the tests.
pg_start_throwaway
export ATIENDE_TEST_PG=$PG_THROWAWAY_CONNSTR
export ATIENDE_TEST_PG_BIN=$PG_BIN_DIR
mail_start_throwaway # exports the ATIENDE_TEST_SMTP_*, _IMAP*, _POP3*, _MAIL_* variables

echo "==> dotnet test -c Release $*"
test_rc=0
dotnet test "$solution" -c Release --no-build \
  --logger "console;verbosity=normal" --logger trx --results-directory "$results_dir" \
  "$@" || test_rc=$?
# Stop now rather than in the EXIT trap so the closing line stays the last one.
mail_stop_throwaway
pg_stop_throwaway
((test_rc == 0)) || failures+=("dotnet test (exit code $test_rc)")
finish
