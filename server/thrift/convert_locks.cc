// Conversions of locks and transactions (see convert.h). The domain enums carry Hive's values.

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include "server/thrift/convert.h"

namespace almanac::thrift_server {
namespace {

LockComponent ToDomain(const hive::LockComponent& in) {
  LockComponent out;
  out.type = static_cast<LockType>(in.type);
  out.level = static_cast<LockLevel>(in.level);
  out.database = in.dbname;
  if (in.__isset.tablename) out.table = in.tablename;
  if (in.__isset.partitionname) out.partition = in.partitionname;
  out.operation_type = static_cast<int32_t>(in.operationType);
  out.is_transactional = in.isTransactional;
  out.is_dynamic_partition_write = in.isDynamicPartitionWrite;
  return out;
}

hive::ShowLocksResponseElement ToWire(const Lock& lock, const LockComponent& c, int64_t position) {
  hive::ShowLocksResponseElement out;
  out.__set_lockid(lock.id);
  out.__set_dbname(c.database);
  if (!c.table.empty()) out.__set_tablename(c.table);
  if (!c.partition.empty()) out.__set_partname(c.partition);
  out.__set_state(static_cast<hive::LockState::type>(lock.state));
  out.__set_type(static_cast<hive::LockType::type>(c.type));
  out.__set_txnid(lock.txn_id);
  out.__set_lastheartbeat(lock.last_heartbeat_ms);
  if (lock.acquired_ms > 0) out.__set_acquiredat(lock.acquired_ms);
  out.__set_user(lock.user);
  out.__set_hostname(lock.host);
  out.__set_heartbeatCount(static_cast<int32_t>(
      std::min<int64_t>(lock.heartbeat_count, std::numeric_limits<int32_t>::max())));
  out.__set_agentInfo(lock.agent_info);
  out.__set_lockIdInternal(position + 1);  // Hive numbers a request's components from 1.
  return out;
}

// Java's BitSet.toByteArray of the aborted flags: bit i is bit (i % 8) of byte (i / 8), and the
// array ends at the last byte with a bit set.
std::string AbortedBits(const std::vector<TxnInfo>& txns) {
  std::string bytes;
  for (size_t i = 0; i < txns.size(); ++i) {
    if (txns[i].state != TxnState::kAborted) continue;
    if (bytes.size() <= i / 8) bytes.resize(i / 8 + 1, '\0');
    bytes[i / 8] = static_cast<char>(bytes[i / 8] | (1 << (i % 8)));
  }
  return bytes;
}

}  // namespace

LockRequest ToDomain(const hive::LockRequest& in) {
  LockRequest out;
  for (const hive::LockComponent& c : in.component) out.components.push_back(ToDomain(c));
  out.txn_id = in.__isset.txnid ? in.txnid : 0;
  out.user = in.user;
  out.host = in.hostname;
  out.agent_info = in.agentInfo;  // Thrift's default is "Unknown", as in Hive.
  return out;
}

hive::LockResponse ToWire(const Lock& in) {
  hive::LockResponse out;
  out.__set_lockid(in.id);
  out.__set_state(static_cast<hive::LockState::type>(in.state));
  return out;
}

std::vector<hive::ShowLocksResponseElement> ToWire(const std::vector<Lock>& in) {
  std::vector<hive::ShowLocksResponseElement> out;
  for (const Lock& lock : in) {
    for (size_t i = 0; i < lock.components.size(); ++i) {
      out.push_back(ToWire(lock, lock.components[i], static_cast<int64_t>(i)));
    }
  }
  return out;
}

LockFilter ToDomain(const hive::ShowLocksRequest& in) {
  LockFilter out;
  if (in.__isset.dbname) out.database = in.dbname;
  if (in.__isset.tablename) out.table = in.tablename;
  if (in.__isset.partname) out.partition = in.partname;
  if (in.__isset.txnid && in.txnid != 0) out.txn_id = in.txnid;
  return out;
}

OpenTxnsRequest ToDomain(const hive::OpenTxnRequest& in) {
  OpenTxnsRequest out;
  out.count = in.num_txns;
  out.user = in.user;
  out.host = in.hostname;
  out.agent_info = in.agentInfo;
  out.type = in.__isset.txn_type ? static_cast<int32_t>(in.txn_type) : 0;
  return out;
}

hive::GetOpenTxnsResponse ToWire(const OpenTxnList& in) {
  hive::GetOpenTxnsResponse out;
  out.__set_txn_high_water_mark(in.high_water_mark);
  std::vector<int64_t> ids;
  for (const TxnInfo& txn : in.txns) {
    ids.push_back(txn.id);
    if (txn.state == TxnState::kOpen && !out.__isset.min_open_txn) out.__set_min_open_txn(txn.id);
  }
  out.__set_open_txns(ids);
  out.__set_abortedBits(AbortedBits(in.txns));
  return out;
}

}  // namespace almanac::thrift_server
