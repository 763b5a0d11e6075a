#!/bin/sh
# Pushes an aim config while holding its lock. Every write is fenced with the lock's token, so a
# late write from this script after it lost the lock (a crash, a pause, a force-release) is
# refused by the store instead of overwriting the next holder's work. Run it under the lock:
#
#   ops/bin/aimctl lock run aim_lock_config.conf --ttl 3 -- docs/examples/push-config.sh [FILE]
#
# 'aimctl lock run' puts AIMSTORE_LOCK_NAME and AIMSTORE_LOCK_TOKEN in its environment. FILE
# defaults to aim.json beside this script; the key is /aim/fleet-1/aim_lock_config.conf.
set -eu
: "${AIMSTORE_LOCK_NAME:?run this under 'aimctl lock run NAME -- $0'}"
: "${AIMSTORE_LOCK_TOKEN:?run this under 'aimctl lock run NAME -- $0'}"
here=$(cd "$(dirname "$0")" && pwd)
aimctl=${AIMCTL:-$here/../../ops/bin/aimctl}
config=${1:-$here/aim.json}

"$aimctl" put /aim/fleet-1/aim_lock_config.conf --file "$config" \
  --fence "$AIMSTORE_LOCK_NAME=$AIMSTORE_LOCK_TOKEN"
echo "pushed $config under lock $AIMSTORE_LOCK_NAME (token $AIMSTORE_LOCK_TOKEN)"
