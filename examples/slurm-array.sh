#!/bin/bash
# The same triplet-bench sweep on several servers of a Slurm cluster, one array task per
# server, each writing its own run folder into one shared directory (docs/fleet.md). Then,
# anywhere that sees the directory:
#
#   node "$FLEET/triplet-bench/bin/triplet-bench.js" report "$FLEET/reports" --out "$FLEET/page"
#   node "$FLEET/triplet-bench/bin/triplet-bench.js" compare "$FLEET/reports-before" "$FLEET/reports"
#
# Two routes (docs/fleet.md "Against the native backend"); ROUTE picks one:
#
# - ROUTE=checkout (the default): workers AND tfjs-node, TensorFlow's native backend. Set up
#   once, on a node of the cluster's OS and CPU (the binding is built for them), into the
#   shared directory:
#     git clone <this repository> "$FLEET/triplet-bench" && cd "$FLEET/triplet-bench"
#     npm ci                                  # builds dist/, the wasm kernel, then setup-native
#     node bin/triplet-bench.js setup-native  # again if npm ci could not find a TensorFlow
#     node bin/triplet-bench.js doctor        # says whether tfjs-node is available
#   Every node runs that one checkout. A node where tfjs-node does not load (another glibc,
#   a CPU without the instructions TensorFlow was built for) still runs the workers rows;
#   its tfjs-node rows are skipped with the reason, its run.json says why
#   (environment.native_unavailable) and the fleet page shows it in its column.
# - ROUTE=bundle: workers only, for servers that have nothing but node. `npm run bundle` in
#   a checkout, copy bundle/ to $FLEET/bundle (only node 20.19+ is needed on the servers).
#
# Submit with
#   sbatch --array=0-7 --nodelist=node[01-08] examples/slurm-array.sh
# Slurm does not spread array tasks over distinct nodes by itself: --exclusive keeps other
# jobs (and other tasks of this array) off a node while it measures; name the nodes with
# --nodelist, or run one step per node instead of an array:
#   srun --nodes=8 --ntasks-per-node=1 --exclusive examples/slurm-array.sh
#
#SBATCH --job-name=triplet-bench
#SBATCH --array=0-7
#SBATCH --nodes=1
#SBATCH --ntasks=1
#SBATCH --exclusive
#SBATCH --time=01:00:00
#SBATCH --output=triplet-bench-%A_%a.log
set -euo pipefail

FLEET=${FLEET:-$HOME/triplet-bench-fleet}   # a directory every node sees (NFS, Lustre, GPFS)
NODE=${NODE:-node}                          # Node.js 20.19 or later on every server
ROUTE=${ROUTE:-checkout}                    # checkout (workers and tfjs-node) or bundle (workers)

case "$ROUTE" in
  checkout) CLI=("$FLEET/triplet-bench/bin/triplet-bench.js") ENGINES=workers,tfjs-node ;;
  bundle) CLI=("$FLEET/bundle/triplet-bench.js") ENGINES=workers ;;
  *) echo "ROUTE=$ROUTE: expected checkout or bundle" >&2; exit 2 ;;
esac

# The run folder is reports/<run_id> under the working directory, and the run_id holds
# the start time, the host, the pid and a random part: folders from many hosts (and
# reruns on one) never clash in the shared directory.
cd "$FLEET"
exec "$NODE" "${CLI[@]}" run --engines "$ENGINES" --profile quick --no-progress
