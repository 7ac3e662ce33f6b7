#!/usr/bin/env bash
# Harvest throughput: `server harvest openalex` against a local OpenAlex stub (bench/harvest/stub.py),
# at OpenAlex's pace (8 requests a second), beside `server import` of the same records from files,
# each into a fresh database, in one run. WORKS= sets the size (5,000).
set -euo pipefail
cd "$(dirname "$0")/../.."
WORKS=${WORKS:-5000}
BIN=${BENCH_SERVER:-target/server-release/server}
BASE=${BENCH_DATABASE_BASE:-postgres://postgres@127.0.0.1:5432}
dir=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 bench/harvest/stub.py --port "$port" --works "$WORKS" --dump "$dir" &
stub=$!
trap 'kill $stub 2>/dev/null; rm -rf "$dir"' EXIT
until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.2; done

fresh() {
  psql "$BASE/postgres" -qc "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null
  echo "$BASE/$1"
}
now() { date +%s.%N; }

export RUST_LOG=warn BZPEER_CONTACT_EMAIL=bench@bzpeer.test BZPEER_OPENALEX_URL="http://127.0.0.1:$port"
url=$(fresh bzpeer_bench_harvest)
start=$(now)
DATABASE_URL=$url "$BIN" harvest openalex --filter topics.id:T800000001 2>/dev/null | tail -1
harvest=$(echo "$(now) - $start" | bc)

url=$(fresh bzpeer_bench_import)
start=$(now)
for kind in institutions works authors; do
  DATABASE_URL=$url "$BIN" import "openalex-$kind" "$dir/$kind.jsonl" 2>/dev/null | tail -1
done
import=$(echo "$(now) - $start" | bc)

python3 - "$WORKS" "$harvest" "$import" <<'PY'
import sys
works, harvest, imported = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
print(f"\n{works:,} works with their authors and institutions, each into a fresh database")
print(f"{'path':<44}{'seconds':>9}{'works/s':>10}")
print(f"{'server harvest openalex (stub, 8 requests/s)':<44}{harvest:>9.1f}{works / harvest:>10.0f}")
print(f"{'server import of the same records (files)':<44}{imported:>9.1f}{works / imported:>10.0f}")
print(f"harvest / import: {imported / harvest:.2f} of the file import's rate")
PY
