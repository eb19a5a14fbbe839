#!/usr/bin/env bash
# Runs Apache Hive's own metastore client tests (org.apache.hadoop.hive.metastore.client, from
# the hive-standalone-metastore-server 4.0.1 tests jar on Maven Central) against almanacd, each
# test class against a fresh almanacd, and fails if a test of the committed baseline
# (baseline.txt) no longer passes. Results and a summary grouped by cause go to
# build/hive-conformance/.
#
#   tests/interop/hive-conformance/run.sh                         (every class, as CI runs it)
#   tests/interop/hive-conformance/run.sh --classes TestDatabases,TestFunctions
#   tests/interop/hive-conformance/run.sh --update-baseline       (record the tests that pass)
#
# ALMANACD is resolved as tests/interop/lib.sh describes. Maven and a JDK are installed with apt
# if missing; Maven caches in ~/.m2 and the compiled runner lives in build/hive-conformance.
source "$(dirname "$0")/../lib.sh"
interop_maven
interop_almanacd
if ! command -v python3 >/dev/null; then interop_apt_install python3; fi

exec python3 tests/interop/hive-conformance/conformance.py "$@"
