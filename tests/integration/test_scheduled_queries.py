"""Scheduled queries (scheduled_query_maintenance, scheduled_query_poll, scheduled_query_progress,
get_scheduled_query), through every client flavour whose IDL has the calls: what is stored and
answered, HMS's exceptions and messages, the hand-out of a due query to exactly one poller, the
execution states a progress report may move through, and that it all survives a restart.

A query is made due at once by an alter that sets its next execution in the past (as HMS allows),
so no test waits for its schedule to fire."""

import threading
import time
from datetime import datetime, timezone

import pytest

from clients import Hms

EVERY_SECOND = "* * * * * ? *"


@pytest.fixture
def sq(hms):
    if not hms.has("scheduled_query_maintenance"):
        pytest.skip(f"{hms.flavour}'s IDL has no scheduled queries")
    return hms


@pytest.fixture
def ns(sq, name):
    return name("ns")


def make(t, name, ns, schedule=EVERY_SECOND, enabled=True, user="user", query="select 1",
         next_execution=None):
    return t.ScheduledQuery(scheduleKey=t.ScheduledQueryKey(scheduleName=name,
                                                            clusterNamespace=ns),
                            enabled=enabled, schedule=schedule, user=user, query=query,
                            nextExecution=next_execution)


def maintain(hms, change, query):
    t = hms.t
    kind = getattr(t.ScheduledQueryMaintenanceRequestType, change)
    hms.client.scheduled_query_maintenance(
        t.ScheduledQueryMaintenanceRequest(type=kind, scheduledQuery=query))


def get(hms, name, ns):
    return hms.client.get_scheduled_query(hms.t.ScheduledQueryKey(scheduleName=name,
                                                                  clusterNamespace=ns))


def poll(hms, ns):
    return hms.client.scheduled_query_poll(hms.t.ScheduledQueryPollRequest(clusterNamespace=ns))


def make_due(hms, name, ns, **fields):
    """Alters the query so that it is due now (next execution 1 s after the epoch)."""
    maintain(hms, "ALTER", make(hms.t, name, ns, next_execution=1, **fields))


def progress(hms, execution_id, state, executor_id="executor-1", error=None):
    t = hms.t
    hms.client.scheduled_query_progress(t.ScheduledQueryProgressInfo(
        scheduledExecutionId=execution_id, state=getattr(t.QueryState, state),
        executorQueryId=executor_id, errorMessage=error))


def test_create_stores_query_with_next_execution(sq, ns):
    before = int(time.time())
    maintain(sq, "CREATE", make(sq.t, "q1", ns))
    after = int(time.time())
    got = get(sq, "q1", ns)
    assert (got.scheduleKey.scheduleName, got.scheduleKey.clusterNamespace) == ("q1", ns)
    assert (got.enabled, got.schedule, got.user, got.query) == (True, EVERY_SECOND, "user",
                                                                 "select 1")
    # Every second: the first fire time after the create.
    assert before + 1 <= got.nextExecution <= after + 1


def test_next_execution_follows_the_schedule(sq, ns):
    maintain(sq, "CREATE", make(sq.t, "yearly", ns, schedule="0 30 12 15 JUN ? 2037"))
    expected = int(datetime(2037, 6, 15, 12, 30, tzinfo=timezone.utc).timestamp())
    assert get(sq, "yearly", ns).nextExecution == expected
    # nextExecution is 32 bits on the wire: later times are sent as its largest value.
    maintain(sq, "CREATE", make(sq.t, "late", ns, schedule="0 0 0 1 1 ? 2090"))
    assert get(sq, "late", ns).nextExecution == 2**31 - 1
    assert poll(sq, ns).query is None


def test_duplicate_create_is_refused(sq, ns):
    maintain(sq, "CREATE", make(sq.t, "dup", ns))
    with pytest.raises(sq.t.AlreadyExistsException) as e:
        maintain(sq, "CREATE", make(sq.t, "dup", ns, query="select 2"))
    assert e.value.message == f"Scheduled query with name: dup@{ns} already exists."
    assert get(sq, "dup", ns).query == "select 1"


@pytest.mark.parametrize("schedule", ["asd asd", "* * * * * *", "0 0 25 * * ?", "* * * * * ? 1900",
                                      ""])
def test_invalid_schedule_is_refused(sq, ns, schedule):
    with pytest.raises(sq.t.InvalidInputException) as e:
        maintain(sq, "CREATE", make(sq.t, "bad", ns, schedule=schedule))
    assert e.value.message.startswith(f"Invalid QUARTZ schedule expression: '{schedule}'")
    with pytest.raises(sq.t.NoSuchObjectException):
        get(sq, "bad", ns)


def test_alter_replaces_definition_and_recomputes_next_execution(sq, ns):
    maintain(sq, "CREATE", make(sq.t, "upd", ns))
    maintain(sq, "ALTER", make(sq.t, "upd", ns, schedule="0 0 0 1 1 ? 2036", user="user22",
                               query="select 12", enabled=False))
    got = get(sq, "upd", ns)
    assert (got.enabled, got.schedule, got.user, got.query) == (False, "0 0 0 1 1 ? 2036",
                                                                 "user22", "select 12")
    assert got.nextExecution == int(datetime(2036, 1, 1, tzinfo=timezone.utc).timestamp())
    # An alter that sets the next execution keeps it.
    maintain(sq, "ALTER", make(sq.t, "upd", ns, next_execution=12345))
    assert get(sq, "upd", ns).nextExecution == 12345


def test_alter_with_invalid_schedule_changes_nothing(sq, ns):
    maintain(sq, "CREATE", make(sq.t, "keep", ns))
    with pytest.raises(sq.t.InvalidInputException):
        maintain(sq, "ALTER", make(sq.t, "keep", ns, schedule="not a schedule"))
    assert get(sq, "keep", ns).schedule == EVERY_SECOND


def test_missing_query_errors(sq, ns):
    with pytest.raises(sq.t.NoSuchObjectException) as e:
        get(sq, "nope", ns)
    assert e.value.message == f"There is no scheduled query for: nope@{ns}"
    for change in ("ALTER", "DROP"):
        with pytest.raises(sq.t.NoSuchObjectException) as e:
            maintain(sq, change, make(sq.t, "nope", ns))
        assert e.value.message == f"Scheduled query with name: nope@{ns} doesn't exists."


def test_drop_removes_query_with_its_executions(sq, ns):
    maintain(sq, "CREATE", make(sq.t, "gone", ns))
    make_due(sq, "gone", ns)
    polled = poll(sq, ns)
    assert polled.executionId is not None
    maintain(sq, "DROP", make(sq.t, "gone", ns))
    with pytest.raises(sq.t.NoSuchObjectException):
        get(sq, "gone", ns)
    with pytest.raises(sq.t.MetaException):
        progress(sq, polled.executionId, "EXECUTING")
    # The name is free again.
    maintain(sq, "CREATE", make(sq.t, "gone", ns))


def test_namespaces_are_separate(sq, ns):
    maintain(sq, "CREATE", make(sq.t, "same", ns, query="select 'a'"))
    maintain(sq, "CREATE", make(sq.t, "same", ns + "_other", query="select 'b'"))
    assert get(sq, "same", ns).query == "select 'a'"
    assert get(sq, "same", ns + "_other").query == "select 'b'"


def test_poll_hands_out_a_due_query_once(sq, ns):
    maintain(sq, "CREATE", make(sq.t, "q1", ns))
    maintain(sq, "CREATE", make(sq.t, "off", ns, enabled=False))
    make_due(sq, "q1", ns)
    make_due(sq, "off", ns, enabled=False)
    assert poll(sq, ns + "_elsewhere").query is None

    before = int(time.time())
    polled = poll(sq, ns)
    after = int(time.time())
    assert (polled.scheduleKey.scheduleName, polled.scheduleKey.clusterNamespace) == ("q1", ns)
    assert polled.query == "/* schedule: q1 */select 1"
    assert polled.user == "user"
    assert polled.executionId > 0
    # The next execution moved past now; the disabled query is never handed out.
    assert before + 1 <= get(sq, "q1", ns).nextExecution <= after + 1
    empty = poll(sq, ns)
    assert (empty.query, empty.scheduleKey, empty.executionId) == (None, None, None)


def test_active_execution_blocks_the_next_poll_until_it_ends(sq, ns):
    maintain(sq, "CREATE", make(sq.t, "q1", ns))
    make_due(sq, "q1", ns)
    first = poll(sq, ns)
    make_due(sq, "q1", ns)
    assert poll(sq, ns).query is None  # Still executing.
    progress(sq, first.executionId, "EXECUTING")
    progress(sq, first.executionId, "FINISHED")
    second = poll(sq, ns)
    assert second.scheduleKey.scheduleName == "q1"
    assert second.executionId > first.executionId


def test_progress_state_changes(sq, ns):
    maintain(sq, "CREATE", make(sq.t, "q1", ns))
    make_due(sq, "q1", ns)
    execution = poll(sq, ns).executionId
    with pytest.raises(sq.t.InvalidOperationException) as e:
        progress(sq, execution, "INITED")
    assert e.value.message == "Invalid state change: INITED=>INITED"
    progress(sq, execution, "EXECUTING")
    progress(sq, execution, "EXECUTING")
    progress(sq, execution, "FAILED", error="e" * 2500 + "\nx")
    for state in ("EXECUTING", "FINISHED", "FAILED"):
        with pytest.raises(sq.t.InvalidOperationException) as e:
            progress(sq, execution, state)
        assert e.value.message == f"Invalid state change: FAILED=>{state}"


def test_auto_disabled_is_not_a_progress_state(sq, ns):
    maintain(sq, "CREATE", make(sq.t, "q1", ns))
    make_due(sq, "q1", ns)
    execution = poll(sq, ns).executionId
    with pytest.raises(sq.t.InvalidOperationException) as e:
        progress(sq, execution, "AUTO_DISABLED")
    assert e.value.message == "invalid state: AUTO_DISABLED"
    progress(sq, execution, "FINISHED")  # The failed report changed nothing.


def test_progress_of_unknown_execution(sq):
    with pytest.raises(sq.t.MetaException) as e:
        progress(sq, 987654321, "EXECUTING")
    assert "987654321" in e.value.message


def test_concurrent_polls_hand_the_query_to_one(sq, ns, connect):
    maintain(sq, "CREATE", make(sq.t, "excl", ns))
    make_due(sq, "excl", ns)
    clients = [connect() for _ in range(4)]
    results = [None] * len(clients)
    barrier = threading.Barrier(len(clients))

    def run(i):
        barrier.wait()
        results[i] = poll(clients[i], ns)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(clients))]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sum(r.query is not None for r in results) == 1


def test_overlong_values_are_refused(sq, ns):
    with pytest.raises(sq.t.MetaException) as e:
        maintain(sq, "CREATE", make(sq.t, "n" * 257, ns))
    assert "257 characters" in e.value.message
    with pytest.raises(sq.t.MetaException):
        maintain(sq, "CREATE", make(sq.t, "long", ns, query="x" * 4001))
    with pytest.raises(sq.t.NoSuchObjectException):
        get(sq, "long", ns)


def test_unknown_maintenance_type_and_overlong_namespace(sq, ns):
    t = sq.t
    with pytest.raises(t.MetaException) as e:
        sq.client.scheduled_query_maintenance(
            t.ScheduledQueryMaintenanceRequest(type=99, scheduledQuery=make(t, "q", ns)))
    assert e.value.message == "invalid request"
    with pytest.raises(t.MetaException):
        poll(sq, "n" * 300)


@pytest.mark.parametrize("flavour", ["almanac", "pyiceberg"])
def test_queries_and_executions_survive_restart(fresh_server, flavour):
    fresh_server.start()
    hms = Hms(flavour, fresh_server.port)
    try:
        yearly = "0 0 0 1 1 ? 2035"
        maintain(hms, "CREATE", make(hms.t, "durable", "restart", schedule=yearly))
        make_due(hms, "durable", "restart", schedule=yearly)
        execution = poll(hms, "restart").executionId
        progress(hms, execution, "EXECUTING")
    finally:
        hms.close()
    fresh_server.restart()
    hms = Hms(flavour, fresh_server.port)
    try:
        got = get(hms, "durable", "restart")
        assert (got.schedule, got.nextExecution) == (
            "0 0 0 1 1 ? 2035", int(datetime(2035, 1, 1, tzinfo=timezone.utc).timestamp()))
        with pytest.raises(hms.t.InvalidOperationException) as e:
            progress(hms, execution, "INITED")
        assert e.value.message == "Invalid state change: EXECUTING=>INITED"
        progress(hms, execution, "FINISHED")
    finally:
        hms.close()
