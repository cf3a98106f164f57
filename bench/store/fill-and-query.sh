#!/usr/bin/env bash
# Fills a store with 1,000,000 cases across 500 officers and times
# `duly due --officer X` (goal: under 50 ms) as a whole process, then, when
# build/bench/store/bench_store is built, CaseStore::dueActions in-process on
# the same store. Prints its figures.
# Usage: bench/store/fill-and-query.sh [CASES] [OFFICERS]   (run from the repository, after building)
set -euo pipefail
cd "$(dirname "$0")/../.."
cases=${1:-1000000}
officers=${2:-500}
duly=build/duly
work=${DULY_BENCH_DIR:-$(mktemp -d)}; mkdir -p "$work"; [ -n "${DULY_BENCH_DIR:-}" ] || trap 'rm -rf "$work"' EXIT
db="$work/duly.db"

{
  echo "id,name,position,email,phone,team,manager_id,role"
  for i in $(seq 0 $((officers - 1))); do
    echo "officer$i,Officer $i,Customer Services Officer,officer$i@example.org,,team$((i % 20)),,officer"
  done
} > "$work/officers.csv"
"$duly" --db "$db" import officers "$work/officers.csv" >/dev/null

start=$(date +%s.%N)
# A third of the cases are open; times spread over two years before 2026-11-23.
sqlite3 "$db" <<SQL
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $cases)
INSERT INTO cases (reference, charter, channel, kind, state, customer_ref, officer_id, subject, received,
                   counted_from, acknowledge_by, respond_by, holding_reply_by, acknowledged_at, replied_at, extension_days)
SELECT printf('BEN-2026-%07d', i), 'progress',
       CASE i % 4 WHEN 0 THEN 'letter' WHEN 1 THEN 'email' WHEN 2 THEN 'web' ELSE 'phone-message' END,
       CASE WHEN i % 10 = 0 THEN 'complaint-stage-1' ELSE 'enquiry' END,
       CASE WHEN i % 3 = 0 THEN 'open' ELSE 'closed' END,
       'C' || (i % 50000), 'officer' || (i % $officers), 'Benchmark case ' || i,
       1800000000 - (i * 63) % 63072000, '2026-11-23',
       CASE WHEN i % 10 = 0 THEN 1800000000 - (i * 63) % 63072000 + 432000 END,
       1800000000 - (i * 63) % 63072000 + 604800,
       1800000000 - (i * 63) % 63072000 + 518400,
       CASE WHEN i % 10 = 0 AND i % 3 <> 0 THEN 1800000000 - (i * 63) % 63072000 + 3600 END,
       CASE WHEN i % 3 <> 0 THEN 1800000000 - (i * 63) % 63072000 + 400000 END,
       0
FROM n;
COMMIT;
ANALYZE;
SQL
fill=$(echo "$(date +%s.%N) - $start" | bc)
size=$(du -h "$db" | cut -f1)

open_for_one=$(sqlite3 "$db" "SELECT COUNT(*) FROM cases WHERE officer_id = 'officer42' AND state = 'open'")
read -r median best runs < <(python3 - "$duly" "$db" "$work/due.txt" <<'PYEOF'
import subprocess, sys, time
duly, db, out = sys.argv[1:4]
cmd = [duly, "--db", db, "due", "--officer", "officer42", "--now", "2026-11-23T10:00:00Z"]
subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)  # warm the page cache
times = []
for _ in range(15):
    start = time.perf_counter()
    with open(out, "w") as f:
        subprocess.run(cmd, stdout=f, check=True)
    times.append((time.perf_counter() - start) * 1000)
times.sort()
print(f"{times[len(times) // 2]:.1f} {times[0]:.1f} {len(times)}")
PYEOF
)
startup=$(python3 -c "
import subprocess, time
t = []
for _ in range(15):
    s = time.perf_counter(); subprocess.run(['$duly', 'version'], stdout=subprocess.DEVNULL); t.append((time.perf_counter() - s) * 1000)
t.sort(); print(f'{t[len(t) // 2]:.1f}')")
lines=$(wc -l < "$work/due.txt")

printf 'store benchmark: %d cases across %d officers\n' "$cases" "$officers"
printf '  fill (sqlite3, one transaction):   %.1f s, store %s\n' "$fill" "$size"
printf '  duly due --officer officer42:      median %s ms, best %s ms over %s runs (whole process, warm cache)\n' "$median" "$best" "$runs"
printf '  of which starting duly:            median %s ms (duly version)\n' "$startup"
printf '  that officer: %d open cases, %d lines listed\n' "$open_for_one" "$lines"

if [ -x build/bench/store/bench_store ]; then
  # In-process: the store's query alone, without starting duly or printing.
  DULY_BENCH_DB="$db" build/bench/store/bench_store --benchmark_format=json 2>/dev/null | python3 -c '
import json, sys
text = sys.stdin.read()
for b in json.loads(text[text.index("{"):])["benchmarks"]:
    print("  {:<34} {:8.2f} {} per call, {} (in-process)".format(b["name"], b["real_time"], b["time_unit"], ", ".join("{} {}".format(int(b[k]), k) for k in ("actions", "cases") if k in b)))
'
fi
