#!/usr/bin/env bash
# Runs the README's Slurm recipe (docs/scale-out/zipfit-score.sbatch, zipfit-merge.sbatch) on a
# single-node Slurm cluster on 127.0.0.1, as an ordinary user, then the fault case (one array task
# cancelled mid-run and requeued). Stops and removes everything it started. Not part of the tests.
#
#   sudo bench/slurm/run.sh            # builds the module first
#   sudo bench/slurm/run.sh --no-build # uses artifacts/ZipFit as it is
#
# Environment: ZIPFIT_DATA (default ../shared/data/python-code beside the repository: target.jsonl and
# source-medium.jsonl.gz), SHARDS (4), TOP (1000), SLURM_TEST_USER (zipfit). docs/scale-out.md has
# what it printed.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DATA=${ZIPFIT_DATA:-$REPO/../shared/data/python-code}
SHARDS=${SHARDS:-4}
TOP=${TOP:-1000}
JOB_USER=${SLURM_TEST_USER:-zipfit}
PWSH_VERSION=7.6.9
BUILD=1
[ "${1:-}" = --no-build ] && BUILD=0

say() { echo "[slurm-bench $(date +%T)] $*" >&2; }
die() { echo "slurm-bench: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root (sudo $0): it installs packages, starts daemons and adds a user"
if [ ! -f "$DATA/source-medium.jsonl.gz" ] || [ ! -f "$DATA/target.jsonl" ]; then
    die "the shared data is missing: need $DATA/source-medium.jsonl.gz and target.jsonl (the medium pool of ../shared/data/python-code, see its README); set ZIPFIT_DATA to the folder holding them"
fi
for d in munged slurmctld slurmd slurmstepd; do
    if pgrep -x "$d" >/dev/null; then die "a $d is already running (pid $(pgrep -x "$d" | tr '\n' ' ')); this script starts its own cluster and stops only what it started"; fi
done

# --- packages -------------------------------------------------------------------------------------
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    say "installing slurm-wlm and munge"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null
fi
[ -f /etc/munge/munge.key ] || { mungekey --create --keyfile=/etc/munge/munge.key; chown munge:munge /etc/munge/munge.key; chmod 600 /etc/munge/munge.key; }

# --- everything below lives in $WORK and is removed at exit ---------------------------------------
WORK=$(mktemp -d /tmp/zipfit-slurm.XXXXXX)
chmod 755 "$WORK"
PIDS=()
CREATED_USER=0
cleanup() {
    local rc=$?
    set +e
    if [ -n "${SLURM_CONF:-}" ] && [ -f "$SLURM_CONF" ] && [ "${#PIDS[@]}" -gt 0 ]; then
        scancel --user="$JOB_USER" 2>/dev/null
        for _ in $(seq 30); do [ -z "$(squeue -h -u "$JOB_USER" 2>/dev/null)" ] && break; sleep 1; done
    fi
    # Stop in reverse order of start, by the pids this script holds.
    for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do kill "${PIDS[i]}" 2>/dev/null; done
    for p in "${PIDS[@]}"; do
        for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
        kill -0 "$p" 2>/dev/null && { say "pid $p did not stop on TERM; KILL"; kill -9 "$p"; }
        wait "$p" 2>/dev/null
    done
    [ "$CREATED_USER" -eq 1 ] && userdel -r "$JOB_USER" 2>/dev/null
    rm -rf "$WORK"
    local left
    # A job step's slurmstepd can outlive slurmd by a moment: give stragglers a few seconds, then stop them.
    for _ in $(seq 50); do
        left=$(for d in munged slurmctld slurmd slurmstepd; do pgrep -x "$d"; done | tr '\n' ' ')
        [ -z "$left" ] && break
        sleep 0.2
    done
    [ -n "$left" ] && { say "stopping stragglers: $left"; pkill -x slurmstepd; sleep 1; }
    left=$(for d in munged slurmctld slurmd slurmstepd; do pgrep -x "$d"; done | tr '\n' ' ')
    if [ -n "$left" ]; then echo "slurm-bench: still running after cleanup: $left" >&2; rc=1; else say "cleanup done: no munged/slurmctld/slurmd/slurmstepd left"; fi
    exit "$rc"
}
trap cleanup EXIT

# --- the module and pwsh, installed for the job user as a user would ------------------------------
if [ "$BUILD" -eq 1 ]; then
    say "building the module (build.ps1 -Task Build)"
    (cd "$REPO" && dotnet tool restore >/dev/null && dotnet pwsh -NoProfile -File ./build.ps1 -Task Build >"$WORK/build.log" 2>&1) \
        || { tail -30 "$WORK/build.log" >&2; die "build failed"; }
fi
[ -f "$REPO/artifacts/ZipFit/ZipFit.psd1" ] || die "no module at $REPO/artifacts/ZipFit (build it first)"

if ! id "$JOB_USER" >/dev/null 2>&1; then
    useradd --create-home --shell /bin/bash "$JOB_USER"
    CREATED_USER=1
fi
UHOME=$(getent passwd "$JOB_USER" | cut -d: -f6)
# pwsh for the job user: the same PowerShell as the repository's local tool, installed into a folder
# the job puts on its PATH (as a cluster's "module load powershell" would).
DOTNET_ROOT=$(dirname "$(readlink -f "$(command -v dotnet)")")
say "installing pwsh $PWSH_VERSION for $JOB_USER into $WORK/pwsh"
dotnet tool install --tool-path "$WORK/pwsh" PowerShell --version "$PWSH_VERSION" >/dev/null
chmod -R a+rX "$WORK/pwsh"
# The module: the built folder copied onto the user's module path (docs/install.md, option 2).
MODDIR="$UHOME/.local/share/powershell/Modules"
rm -rf "$MODDIR/ZipFit"
install -d -o "$JOB_USER" -g "$JOB_USER" "$UHOME/.local" "$UHOME/.local/share" "$UHOME/.local/share/powershell" "$MODDIR"
cp -r "$REPO/artifacts/ZipFit" "$MODDIR/ZipFit"
chown -R "$JOB_USER:$JOB_USER" "$MODDIR/ZipFit"

# --- a one-node cluster on 127.0.0.1 --------------------------------------------------------------
HOST=$(hostname -s)
mkdir -p "$WORK/etc" "$WORK/ctld" "$WORK/slurmd" "$WORK/log" "$WORK/munge"
chown munge:munge "$WORK/munge"
cat >"$WORK/etc/slurm.conf" <<EOF
ClusterName=zipfit-bench
SlurmctldHost=$HOST(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
# cred_expire: Slurm holds a requeued batch job for the credential lifetime (120 s by default)
AuthInfo=socket=$WORK/munge/munge.socket,cred_expire=10
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SchedulerType=sched/backfill
SchedulerParameters=sched_interval=5,bf_interval=5
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
StateSaveLocation=$WORK/ctld
SlurmdSpoolDir=$WORK/slurmd
SlurmctldPidFile=$WORK/slurmctld.pid
SlurmdPidFile=$WORK/slurmd.pid
SlurmctldLogFile=$WORK/log/slurmctld.log
SlurmdLogFile=$WORK/log/slurmd.log
SlurmctldPort=6817
SlurmdPort=6818
ReturnToService=2
JobRequeue=1
MinJobAge=3600
KillWait=5
NodeName=zipfit-node NodeAddr=127.0.0.1 NodeHostname=$HOST CPUs=2 RealMemory=4096 State=UNKNOWN
PartitionName=main Nodes=zipfit-node Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$WORK/etc/slurm.conf

say "starting munged, slurmctld, slurmd"
runuser -u munge -- /usr/sbin/munged --foreground --socket="$WORK/munge/munge.socket" \
    --pid-file="$WORK/munge/munged.pid" --log-file="$WORK/munge/munged.log" --seed-file="$WORK/munge/munged.seed" >"$WORK/log/munged.out" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do [ -S "$WORK/munge/munge.socket" ] && break; sleep 0.2; done
slurmctld -D -f "$SLURM_CONF" >"$WORK/log/slurmctld.out" 2>&1 &
PIDS+=($!)
slurmd -D -N zipfit-node -f "$SLURM_CONF" >"$WORK/log/slurmd.out" 2>&1 &
PIDS+=($!)
for _ in $(seq 60); do
    state=$(sinfo -h -n zipfit-node -o %t 2>/dev/null || true)
    [ "$state" = idle ] && break
    sleep 1
done
[ "${state:-}" = idle ] || { tail -20 "$WORK/log/slurmctld.log" "$WORK/log/slurmd.log" >&2; die "the node did not come up (state '${state:-}')"; }
say "node zipfit-node idle: $(sinfo -h -o '%c CPUs, %m MB')"

# --- the shared folder every task sees: inputs and outputs ----------------------------------------
SHARED=$WORK/shared
install -d -o "$JOB_USER" -g "$JOB_USER" "$SHARED"
cp "$DATA/source-medium.jsonl.gz" "$SHARED/pool.jsonl.gz"
cp "$DATA/target.jsonl" "$SHARED/target.jsonl"
# The recipe's job scripts, byte for byte.
cp "$REPO/docs/scale-out/zipfit-score.sbatch" "$REPO/docs/scale-out/zipfit-merge.sbatch" "$SHARED/"
chown -R "$JOB_USER:$JOB_USER" "$SHARED"
install -d -o "$JOB_USER" -g "$JOB_USER" "$WORK/node-local"

# Runs a command as the job user with a login-like environment: pwsh on PATH, the recipe's paths.
as_user() {
    (cd "$SHARED" && runuser -u "$JOB_USER" -- env -i HOME="$UHOME" USER="$JOB_USER" LOGNAME="$JOB_USER" SHELL=/bin/bash \
        PATH="$WORK/pwsh:/usr/local/bin:/usr/bin:/bin" DOTNET_ROOT="$DOTNET_ROOT" SLURM_CONF="$SLURM_CONF" \
        SHARDS="$SHARDS" TOP="$TOP" POOL="$SHARED/pool.jsonl.gz" TARGET="$SHARED/target.jsonl" OUT="$OUT" CACHE="$CACHE" "$@")
}

# Waits until none of the given jobs is pending or running; fails after $2 seconds.
wait_jobs() {
    local jobs=$1 limit=$2 t=0
    while [ -n "$(squeue -h -j "$jobs" 2>/dev/null)" ]; do
        sleep 1; t=$((t + 1))
        [ "$t" -lt "$limit" ] || { squeue -j "$jobs" >&2; die "jobs $jobs still queued after $limit s"; }
    done
}

# Fails unless every task of array $1 and job $2 ended COMPLETED (exit 0).
check_completed() {
    local bad
    bad=$(scontrol show job -o "$1" "$2" 2>/dev/null | grep -v 'JobState=COMPLETED' | grep -o 'JobId=[0-9]* .*JobState=[A-Z_]*' || true)
    if [ -n "$bad" ] || [ "$(scontrol show job -o "$1" | grep -c 'JobState=COMPLETED')" -ne "$SHARDS" ]; then
        scontrol show job -o "$1" "$2" | grep -o 'JobId=[0-9]* \|ArrayTaskId=[0-9]*\|JobState=[A-Z_]*\|ExitCode=[0-9:]*' | paste - - - - >&2 || true
        tail -n 20 "$SHARED"/*.out >&2 || true
        die "not every job completed"
    fi
}

# Seconds of RunTime per array task, as "0:12 1:13 ...".
task_times() {
    scontrol show job -o "$1" | sed -n 's/.*ArrayTaskId=\([0-9]*\) .*RunTime=\([0-9:-]*\) .*/\1 \2/p' | sort -n |
        awk '{ n = split($2, a, ":"); s = a[n] + 60 * a[n-1] + (n > 2 ? 3600 * a[n-2] : 0); printf "%s%s:%ds", sep, $1, s; sep = " " } END { print "" }'
}

# The single local run: the whole pool in one process, no cache.
REF=$WORK/single-top.jsonl
say "single local run (whole pool, one process, -NoCache)"
t0=$(date +%s)
(cd "$REPO" && dotnet pwsh -NoProfile -NonInteractive -Command "Import-Module ./artifacts/ZipFit/ZipFit.psd1; Get-ZipFitScore -Path '$SHARED/pool.jsonl.gz' -Target (Import-ZipFitDataset '$SHARED/target.jsonl') -NoCache | Select-ZipFitTop $TOP | Export-ZipFitDataset '$REF' -IncludeScore")
say "single run: $(( $(date +%s) - t0 )) s"

# Prints "identical" when $1 has the same ids and zipfit_score values, in the same order, as $REF.
compare_top() {
    python3 - "$REF" "$1" "$TOP" <<'EOF'
import json, sys
def rows(path):
    with open(path, encoding="utf-8") as f:
        return [(r["id"], r["zipfit_score"]) for r in map(json.loads, f)]
ref, got, k = rows(sys.argv[1]), rows(sys.argv[2]), int(sys.argv[3])
if len(ref) != k:
    sys.exit(f"the single run gave {len(ref)} rows, not {k}")
if ref != got:
    diff = next((i for i, (a, b) in enumerate(zip(ref, got)) if a != b), min(len(ref), len(got)))
    sys.exit(f"differs from the single run at rank {diff + 1} ({len(got)} rows vs {len(ref)})")
print("identical")
EOF
}

# --- 1. the recipe as the README gives it ---------------------------------------------------------
OUT=$SHARED/run1
CACHE=$WORK/node-local/run1
say "submitting $SHARDS score tasks and the merge as $JOB_USER"
t0=$(date +%s)
score=$(as_user sbatch --parsable --array=0-$((SHARDS - 1)) zipfit-score.sbatch)
merge=$(as_user sbatch --parsable --dependency=afterok:"$score" zipfit-merge.sbatch)
wait_jobs "$score,$merge" 900
elapsed=$(( $(date +%s) - t0 ))
check_completed "$score" "$merge"
say "time per task: $(task_times "$score")"
[ -z "$(find "$OUT" -name '*.partial')" ] || die "a .partial file was left in $OUT"
compare_top "$OUT/top.jsonl" >/dev/null
echo "SLURM OK $SHARDS tasks, top-$TOP identical to one run, $elapsed s"

# --- 2. one task killed mid-run, then requeued ------------------------------------------------------
OUT=$SHARED/run2
CACHE=$WORK/node-local/run2
VICTIM=1
say "fault case: submitting again with a fresh node-local cache; task $VICTIM is cancelled once it has committed scores"
t0=$(date +%s)
score=$(as_user sbatch --parsable --array=0-$((SHARDS - 1)) zipfit-score.sbatch)
merge=$(as_user sbatch --parsable --dependency=afterok:"$score" zipfit-merge.sbatch)
victim="${score}_$VICTIM"
# The cache's committed scores: those of the tasks before the victim, then the victim's own.
count_scores() {
    python3 -c "import sqlite3,sys; print(sqlite3.connect('file:'+sys.argv[1]+'?mode=ro', uri=True).execute('select count(*) from scores').fetchone()[0])" "$CACHE/zipfit.db" 2>/dev/null || echo 0
}
base=-1 committed=0
for _ in $(seq 1800); do
    if [ "$(squeue -h -j "$victim" -o %T 2>/dev/null)" = RUNNING ]; then
        [ "$base" -ge 0 ] || base=$(count_scores)
        committed=$(( $(count_scores) - base ))
        [ "$committed" -ge 500 ] && break
    fi
    sleep 0.5
done
[ "$committed" -ge 500 ] || die "task $victim never committed scores"
as_user scancel "$victim"
for _ in $(seq 120); do
    info=$(scontrol show job -o "$victim")
    case "$info" in *JobState=CANCELLED*) case "$info" in *COMPLETING*) ;; *) break ;; esac ;; esac
    sleep 0.5
done
killed_at=$(( $(date +%s) - t0 ))
[ ! -e "$OUT/scored-$VICTIM.jsonl.zst" ] || die "the cancelled task left scored-$VICTIM.jsonl.zst"
say "task $victim cancelled at $killed_at s, after it had committed $committed scores; no scored-$VICTIM.jsonl.zst, $(find "$OUT" -name '*.partial' | wc -l) .partial temporaries left"
as_user scontrol requeue "$victim" || die "scontrol requeue $victim failed"
# The merge's afterok on the whole array can never be met once a task was cancelled, requeued or not
# (Slurm 22.05 keeps it pending as DependencyNeverSatisfied): re-arm it on the array's tasks one by one.
deps=$(seq -f "${score}_%g" -s: 0 $((SHARDS - 1)))
as_user scontrol update JobId="$merge" Dependency=afterok:"$deps"
wait_jobs "$score,$merge" 900
elapsed=$(( $(date +%s) - t0 ))
check_completed "$score" "$merge"
say "time per task: $(task_times "$score")"
log="$SHARED/zipfit-score-${score}_$VICTIM.out"
stats=$(grep -o '[0-9]* examples, [0-9]* scores from the cache' "$log" | tail -1)
from_cache=$(echo "$stats" | awk '{ print $3 }')
[ -n "$from_cache" ] && [ "$from_cache" -gt 0 ] || { cat "$log" >&2; die "the requeued task did not resume from its cache ($stats)"; }
say "requeued task $victim: $(grep -o '[0-9]* examples, .* computed in [0-9.]* s' "$log" | tail -1)"
[ -z "$(find "$OUT" -name '*.partial')" ] || die "a .partial file was left in $OUT"
compare_top "$OUT/top.jsonl" >/dev/null
echo "SLURM REQUEUE OK task $VICTIM cancelled mid-run and requeued, resumed with $from_cache of its $(echo "$stats" | awk '{ print $1 }') scores from the node's cache, top-$TOP identical to one run, $elapsed s"
