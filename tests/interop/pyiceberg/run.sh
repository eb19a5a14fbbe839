#!/usr/bin/env bash
# Runs the PyIceberg interop tests: PyIceberg's HiveCatalog, installed from PyPI at the versions
# pinned in tests/interop/requirements-pyiceberg.txt, against a real almanacd.
#
#   ALMANACD=/path/to/almanacd tests/interop/pyiceberg/run.sh [pytest args...]
#
# ALMANACD and ALMANAC_PY_GEN are resolved as tests/interop/lib.sh describes. The virtual
# environment lives in build/venv-pyiceberg and is reused until the requirements file changes.
source "$(dirname "$0")/../lib.sh"
interop_almanacd
interop_venv build/venv-pyiceberg tests/interop/requirements-pyiceberg.txt
exec "$venv_python" -m pytest -q -p no:cacheprovider tests/interop/pyiceberg "$@"
