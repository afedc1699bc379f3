#!/usr/bin/env bash
# Runs the benchmark on SQLite, then on a throwaway PostgreSQL; each run prints its table and
# writes bench/results/latest-<engine>.md (not with --quick).
#
#   bench/run.sh                  full size: lists at 100k and 1M tickets (~10 minutes per engine on 2 cores)
#   bench/run.sh --quick          smoke run: 2,000 creations, lists at 1k and 10k tickets
#   bench/run.sh --tickets 200000 extra arguments go to both runs
#
# Benchmarks run on demand, never from the test suite. Figures are only as quiet as the machine:
# the run records the load average before and after.
set -euo pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
# shellcheck source=scripts/apt.sh
source scripts/apt.sh
# shellcheck source=scripts/postgres.sh
source scripts/postgres.sh
# shellcheck source=scripts/mail.sh
source scripts/mail.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
project=bench/Atiende.Bench/Atiende.Bench.csproj
dll=bench/Atiende.Bench/bin/Release/net10.0/Atiende.Bench.dll

# Build once; where several builds share the machine they take turns on this lock (the runs do not).
if command -v flock >/dev/null; then
  flock "${ATIENDE_BUILD_LOCK:-/tmp/atiende-build.lock}" dotnet build -c Release "$project"
else
  dotnet build -c Release "$project"
fi

# Real mail servers for the IMAP ingestion figure (the same throwaway Dovecot and Postfix as the tests).
mail_install_if_missing
trap 'mail_stop_throwaway; pg_stop_throwaway' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mail_start_throwaway

echo "==> SQLite"
dotnet "$dll" --engine sqlite "$@"

echo "==> PostgreSQL"
pg_start_throwaway
dotnet "$dll" --engine postgres --pg "$PG_THROWAWAY_CONNSTR" "$@"
