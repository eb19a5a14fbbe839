// Almanac: base service that the metastore service extends.
//
// Wire-compatible with the fb303 "FacebookService" interface that Hive
// Metastore clients expect on the same endpoint (method names, argument ids
// and types, enum values). Every Java metastore client sends the oneway
// `shutdown` call when it closes a connection, so these methods must exist.

namespace cpp facebook.fb303
namespace py almanac_thrift.fb303

// Health of the server process, as returned by getStatus().
enum fb_status {
  DEAD = 0,
  STARTING = 1,
  ALIVE = 2,
  STOPPING = 3,
  STOPPED = 4,
  WARNING = 5,
}

service FacebookService {
  // --- identity ---
  string getName(),
  string getVersion(),

  // --- health ---
  fb_status getStatus(),
  string getStatusDetails(),
  // Server start time, seconds since the epoch.
  i64 aliveSince(),

  // --- counters ---
  map<string, i64> getCounters(),
  i64 getCounter(1: string key),

  // --- runtime options ---
  void setOption(1: string key, 2: string value),
  string getOption(1: string key),
  map<string, string> getOptions(),

  // --- profiling ---
  string getCpuProfile(1: i32 profileDurationInSec),

  // --- lifecycle (no reply is sent for oneway calls) ---
  oneway void reinitialize(),
  // Almanac treats this as "client is closing its connection".
  oneway void shutdown(),
}
