#!/usr/bin/env bash
# Installs what is missing, builds, and starts almanacd in the foreground with its catalog in
# ./data (Thrift on 127.0.0.1:9083, gRPC on 127.0.0.1:9084). Extra arguments go to almanacd (see --help).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/build.sh
exec build/server/almanacd --data_dir ./data "$@"
