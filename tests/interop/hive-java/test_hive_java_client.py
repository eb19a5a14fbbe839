"""Apache Hive's own Java HiveMetaStoreClient (2.3, 3.1 and 4.0, from Maven Central) against
almanacd.

One Java scenario (src/common/.../Scenario.java) runs per generation: databases, tables, rename,
partitions, statistics, functions, locks and drops, each step checked against what Hive Metastore
answers. Each section of it is one test here. almanacd's JSON request log then shows that the
generations really speak differently on the wire (legacy calls against the *_req calls of Hive 4).
"""

import pytest

from hive_java_support import SECTIONS, selected_generations

GENERATIONS = selected_generations()

# Calls each generation's HiveMetaStoreClient must have made (read from the client sources of
# that version), and calls it must not have made because a newer or older call replaces them.
WIRE = {
    "2.3": {
        "made": {"set_ugi", "create_database", "get_database", "alter_database",
                 "get_all_databases", "create_table_with_environment_context", "get_table",
                 "get_table_objects_by_name", "get_fields", "get_schema_with_environment_context",
                 "alter_table_with_environment_context", "add_partition_with_environment_context",
                 "add_partitions", "append_partition_with_environment_context",
                 "append_partition_by_name_with_environment_context", "get_partitions",
                 "get_partitions_ps", "get_partition_names", "get_partition_names_ps",
                 "get_partitions_by_filter", "get_num_partitions_by_filter",
                 "get_partitions_by_names", "get_partition", "get_partition_by_name",
                 "alter_partition", "alter_partitions", "rename_partition",
                 "drop_partition_with_environment_context",
                 "drop_partition_by_name_with_environment_context",
                 "update_table_column_statistics", "update_partition_column_statistics",
                 "get_table_statistics_req", "get_partitions_statistics_req",
                 "get_aggr_stats_for", "delete_table_column_statistics",
                 "delete_partition_column_statistics", "create_function", "get_function",
                 "get_functions", "get_all_functions", "drop_function", "lock", "check_lock",
                 "heartbeat", "unlock", "show_locks", "drop_table_with_environment_context",
                 "drop_database"},
        "not_made": {"get_table_req", "get_table_objects_by_name_req", "create_table_req",
                     "alter_table_req", "get_database_req", "add_partitions_req",
                     "append_partition_req", "get_partitions_req",
                     "get_partitions_ps_with_auth_req", "get_partition_names_ps_req",
                     "alter_partitions_req", "drop_table_req", "drop_database_req"},
    },
    "3.1": {
        "made": {"set_ugi", "create_database", "get_database", "alter_database",
                 "get_databases", "create_table_with_environment_context", "get_table_req",
                 "get_table_objects_by_name_req", "get_fields",
                 "get_schema_with_environment_context", "alter_table_with_environment_context",
                 "add_partition_with_environment_context", "add_partitions", "append_partition",
                 "append_partition_by_name", "get_partitions", "get_partitions_ps",
                 "get_partition_names", "get_partition_names_ps", "get_partitions_by_filter",
                 "get_partitions_by_names", "get_partition", "get_partition_by_name",
                 "alter_partition_with_environment_context",
                 "alter_partitions_with_environment_context", "rename_partition",
                 "drop_partition_with_environment_context", "update_table_column_statistics",
                 "update_partition_column_statistics", "get_table_statistics_req",
                 "get_partitions_statistics_req", "get_aggr_stats_for", "lock", "check_lock",
                 "heartbeat", "unlock", "show_locks", "drop_table_with_environment_context",
                 "drop_database"},
        # 3.1 reads tables with get_table_req and lists databases as "@hive#" patterns.
        "not_made": {"get_table", "get_table_objects_by_name", "get_all_databases",
                     "create_table_req", "alter_table_req", "get_database_req",
                     "add_partitions_req", "append_partition_req", "get_partitions_req",
                     "get_partitions_ps_with_auth_req", "alter_partitions_req", "drop_table_req",
                     "drop_database_req"},
    },
    "4.0": {
        "made": {"set_ugi", "create_database_req", "get_database_req", "alter_database_req",
                 "get_databases", "create_table_req", "get_table_req",
                 "get_table_objects_by_name_req", "alter_table_req", "add_partitions_req",
                 "append_partition_req", "get_partitions_req", "get_partitions_ps_with_auth_req",
                 "fetch_partition_names_req", "get_partition_names_ps_req",
                 "get_partitions_by_filter_req", "get_partitions_by_names_req",
                 "get_partition_req", "alter_partitions_req", "rename_partition_req",
                 "drop_partition_req", "update_table_column_statistics_req",
                 "update_partition_column_statistics_req", "get_table_statistics_req",
                 "get_partitions_statistics_req", "get_aggr_stats_for", "lock", "check_lock",
                 "heartbeat", "unlock", "show_locks", "drop_table_req", "drop_database_req"},
        # The calls that Hive 4.0.1's client no longer makes (its server still serves some).
        "not_made": {"get_table", "get_table_objects_by_name", "create_database", "get_database",
                     "alter_database", "create_table_with_environment_context",
                     "alter_table_with_environment_context", "add_partitions",
                     "append_partition", "append_partition_with_environment_context",
                     "get_partitions", "get_partitions_ps", "get_partition",
                     "get_partition_names", "get_partition_names_ps", "get_partitions_by_filter",
                     "alter_partitions", "alter_partitions_with_environment_context",
                     "rename_partition", "update_table_column_statistics", "drop_database"},
    },
}


@pytest.mark.parametrize("section", SECTIONS)
@pytest.mark.parametrize("generation", GENERATIONS)
def test_scenario_section(hive_java_runs, generation, section):
    run = hive_java_runs(generation)
    if section not in run.results:
        pytest.fail(f"Hive {generation}: the scenario reported nothing for section '{section}'\n"
                    + run.diagnostics(), pytrace=False)
    status, message = run.results[section]
    if status == "SKIP":
        pytest.skip(message)
    if status == "FAIL":
        pytest.fail(f"Hive {generation}, section {section}: {message}\n" + run.diagnostics(),
                    pytrace=False)
    assert status == "PASS"


@pytest.mark.parametrize("generation", GENERATIONS)
def test_exit_status_and_cleanup(hive_java_runs, generation, hms):
    """The program's exit status agrees with its sections, and nothing of it is left behind
    (checked with the project's own client, not Hive's)."""
    run = hive_java_runs(generation)
    failed = sorted(s for s, (status, _) in run.results.items() if status == "FAIL")
    assert sorted(run.results) == sorted(SECTIONS), run.diagnostics()
    assert run.returncode == (1 if failed else 0), run.diagnostics()
    prefix = "hj" + generation.replace(".", "")
    left = [db for db in hms.client.get_all_databases() if db.startswith(prefix + "_")]
    assert left == [], f"databases left behind by Hive {generation}: {left}"


@pytest.mark.parametrize("generation", GENERATIONS)
def test_wire_methods(hive_java_runs, generation):
    """Which Thrift calls this generation made, as almanacd logged them."""
    run = hive_java_runs(generation)
    methods = run.methods
    print(f"Hive {generation} called: {sorted(methods)}")
    missing = WIRE[generation]["made"] - methods
    unexpected = WIRE[generation]["not_made"] & methods
    failed = sorted(s for s, (status, _) in run.results.items() if status == "FAIL")
    assert not missing and not unexpected, (
        f"Hive {generation}: expected calls not made: {sorted(missing)}; calls of another "
        f"generation made: {sorted(unexpected)}; all calls: {sorted(methods)}; sections that "
        f"failed (and may not have reached their calls): {failed}")


# The exceptions the scenario provokes on purpose (an existing or missing object, a refused
# change, a released lock, and a MetaException for the bad partition filters). Any other failed
# request (a MetaException elsewhere, an internal error) is a problem even if the client coped.
EXPECTED_ERRORS = ("AlreadyExistsException(", "NoSuchObjectException(",
                   "InvalidOperationException(", "NoSuchLockException(",
                   "InvalidObjectException(message=The database ")
FILTER_CALLS = {"get_partitions_by_filter", "get_partitions_by_filter_req"}


def _expected_error(entry):
    error = str(entry.get("error", ""))
    if error.startswith(EXPECTED_ERRORS):
        return True
    return entry["method"] in FILTER_CALLS and error.startswith("MetaException(")


@pytest.mark.parametrize("generation", GENERATIONS)
def test_no_unexpected_errors(hive_java_runs, generation):
    run = hive_java_runs(generation)
    unexpected = [f"{entry['method']}: {entry.get('outcome')}: {entry.get('error', '')}"
                  for entry in run.requests
                  if entry.get("outcome") != "ok" and not _expected_error(entry)]
    assert unexpected == [], f"Hive {generation}: requests that failed unexpectedly: {unexpected}"
