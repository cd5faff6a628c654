#!/bin/bash
# The same triplet-bench sweep on several servers of a Slurm cluster, one array task per
# server, each writing its own run folder into one shared directory (README "A fleet of
# servers"). Then, anywhere that sees the directory:
#
#   node "$FLEET/bundle/triplet-bench.js" report "$FLEET/reports" --out "$FLEET/page"
#   node "$FLEET/bundle/triplet-bench.js" compare "$FLEET/reports-before" "$FLEET/reports"
#
# Set up once: `npm run bundle` in a checkout, copy bundle/ to $FLEET/bundle (only `node`
# 20.19+ is needed on the servers; no npm, no registry). Submit with
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

# The run folder is reports/<run_id> under the working directory, and the run_id holds
# the start time, the host, the pid and a random part: folders from many hosts (and
# reruns on one) never clash in the shared directory.
cd "$FLEET"
exec "$NODE" "$FLEET/bundle/triplet-bench.js" run --engines workers --profile quick --no-progress
