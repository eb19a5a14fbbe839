"""Runtime statistics (add_runtime_stats, get_runtime_stats) and replication metrics
(add_replication_metrics, get_replication_metrics), through every client flavour whose IDL has
the calls. Both are server-wide, so each test runs against a server of its own."""

import pytest

from almanac_server import AlmanacServer
from clients import FLAVOURS, Hms


@pytest.fixture(params=FLAVOURS)
def own(request, fresh_server):
    """A client of one flavour on a server of the test's own."""
    fresh_server.start()
    hms = Hms(request.param, fresh_server.port)
    yield hms
    hms.close()


def stat(t, weight):
    return t.RuntimeStat(weight=weight, payload=b"x" * weight)


def stats(hms, max_weight=-1, max_create_time=-1):
    return hms.client.get_runtime_stats(
        hms.t.GetRuntimeStatsRequest(maxWeight=max_weight, maxCreateTime=max_create_time))


@pytest.fixture
def rs(own):
    if not own.has("add_runtime_stats"):
        pytest.skip(f"{own.flavour}'s IDL has no runtime statistics")
    return own


@pytest.fixture
def rm(own):
    if not own.has("add_replication_metrics"):
        pytest.skip(f"{own.flavour}'s IDL has no replication metrics")
    return own


def test_runtime_stats_are_stored_with_server_time(rs):
    assert stats(rs) == []
    rs.client.add_runtime_stats(rs.t.RuntimeStat(createTime=5, weight=1, payload=b"\x00\x01x"))
    got = stats(rs)
    assert [(s.weight, s.payload) for s in got] == [(1, b"\x00\x01x")]
    assert got[0].createTime > 5  # The server sets the create time.
    for w in (2, 3, 4):
        rs.client.add_runtime_stats(stat(rs.t, w))
    assert sorted(s.weight for s in stats(rs)) == [1, 2, 3, 4]


def test_runtime_stats_newest_first_up_to_max_weight(rs):
    for w in (1, 2, 3):
        rs.client.add_runtime_stats(stat(rs.t, w))
    everything = stats(rs)
    assert len(everything) == 3
    times = [s.createTime for s in everything]
    assert times == sorted(times, reverse=True)
    # Newest first until the weights reach the maximum: the last one added is newest.
    assert [s.weight for s in stats(rs, max_weight=3)] == [3]
    assert [s.weight for s in stats(rs, max_weight=4)] == [3, 2]
    assert [s.weight for s in stats(rs, max_weight=100)] == [3, 2, 1]
    # Only those created before maxCreateTime.
    assert len(stats(rs, max_create_time=max(times) + 1)) == 3
    assert stats(rs, max_create_time=min(times)) == []


def metric(t, execution_id, policy="p1", dump_id=1, **fields):
    return t.ReplicationMetrics(scheduledExecutionId=execution_id, policy=policy,
                                dumpExecutionId=dump_id, **fields)


def metrics(hms, **request):
    return hms.client.get_replication_metrics(
        hms.t.GetReplicationMetricsRequest(**request)).replicationMetricList


def test_replication_metrics_by_policy_and_by_execution(rm):
    t = rm.t
    rm.client.add_replication_metrics(t.ReplicationMetricList(replicationMetricList=[
        metric(t, 1, metadata="m1", progress="p1"),
        metric(t, 2, metadata="m2"),
        metric(t, 3, policy="p2", progress="started"),
    ]))
    assert [m.scheduledExecutionId for m in metrics(rm, policy="p1")] == [2, 1]
    one = metrics(rm, scheduledExecutionId=1)
    assert [(m.policy, m.dumpExecutionId, m.metadata, m.progress) for m in one] == [
        ("p1", 1, "m1", "p1")]
    assert metrics(rm, scheduledExecutionId=2)[0].progress is None
    assert metrics(rm, policy="none") == []
    assert metrics(rm, scheduledExecutionId=99) == []
    assert metrics(rm) == []


def test_replication_metrics_update_keeps_what_is_not_sent(rm):
    t = rm.t
    rm.client.add_replication_metrics(t.ReplicationMetricList(replicationMetricList=[
        metric(t, 7, metadata="meta", progress="begin")]))
    # A later report of the same execution replaces the progress; its policy and dump id, and
    # the metadata it leaves out, stay.
    rm.client.add_replication_metrics(t.ReplicationMetricList(replicationMetricList=[
        metric(t, 7, policy="other", dump_id=9, progress="done")]))
    [got] = metrics(rm, scheduledExecutionId=7)
    assert (got.policy, got.dumpExecutionId, got.metadata, got.progress) == ("p1", 1, "meta",
                                                                             "done")


def test_replication_metrics_too_long_values_leave_a_note(rm):
    t = rm.t
    rm.client.add_replication_metrics(t.ReplicationMetricList(replicationMetricList=[
        metric(t, 11, metadata="m" * 5000)]))
    [got] = metrics(rm, scheduledExecutionId=11)
    assert got.metadata is None
    assert got.progress == "RM_Metadata limit exceeded to 5000"


def test_runtime_stats_and_metrics_survive_restart(tmp_path):
    srv = AlmanacServer(tmp_path).start()
    try:
        hms = Hms("almanac", srv.port)
        hms.client.add_runtime_stats(stat(hms.t, 2))
        hms.client.add_replication_metrics(hms.t.ReplicationMetricList(
            replicationMetricList=[metric(hms.t, 5, progress="half")]))
        hms.close()
        srv.restart()
        hms = Hms("almanac", srv.port)
        assert [(s.weight, s.payload) for s in stats(hms)] == [(2, b"xx")]
        assert [m.progress for m in metrics(hms, scheduledExecutionId=5)] == ["half"]
        hms.close()
    finally:
        srv.kill()
