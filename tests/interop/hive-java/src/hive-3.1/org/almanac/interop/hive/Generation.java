package org.almanac.interop.hive;

import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.IMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.AggrStats;
import org.apache.hadoop.hive.metastore.api.ColumnStatisticsObj;
import org.apache.hadoop.hive.metastore.api.ColumnStatistics;
import org.apache.hadoop.hive.metastore.conf.MetastoreConf;
import org.apache.hadoop.hive.metastore.conf.MetastoreConf.ConfVars;

/** Hive 3.1: configured through MetastoreConf; statistics calls have no engine argument. */
public final class Generation implements ClientGeneration {
  @Override
  public String name() {
    return "3.1";
  }

  @Override
  public IMetaStoreClient connect(String uri) throws Exception {
    Configuration conf = MetastoreConf.newMetastoreConf();
    MetastoreConf.setVar(conf, ConfVars.THRIFT_URIS, uri);
    MetastoreConf.setLongVar(conf, ConfVars.THRIFT_CONNECTION_RETRIES, 1);
    MetastoreConf.setLongVar(conf, ConfVars.THRIFT_FAILURE_RETRIES, 0);
    conf.set(ConfVars.CLIENT_SOCKET_TIMEOUT.getVarname(), "60s");
    return new HiveMetaStoreClient(conf);
  }

  @Override
  public List<ColumnStatisticsObj> getTableColumnStatistics(
      IMetaStoreClient client, String db, String table, List<String> columns) throws Exception {
    return client.getTableColumnStatistics(db, table, columns);
  }

  @Override
  public Map<String, List<ColumnStatisticsObj>> getPartitionColumnStatistics(
      IMetaStoreClient client, String db, String table, List<String> partitions,
      List<String> columns) throws Exception {
    return client.getPartitionColumnStatistics(db, table, partitions, columns);
  }

  @Override
  public AggrStats getAggrColStatsFor(
      IMetaStoreClient client, String db, String table, List<String> columns,
      List<String> partitions) throws Exception {
    return client.getAggrColStatsFor(db, table, columns, partitions);
  }

  @Override
  public boolean deleteTableColumnStatistics(
      IMetaStoreClient client, String db, String table, String column) throws Exception {
    return client.deleteTableColumnStatistics(db, table, column);
  }

  @Override
  public ColumnStatistics tableColStats(IMetaStoreClient client, String db, String table,
      boolean getColumnStats) throws Exception {
    throw new Check.Skip("Hive 3.1's IMetaStoreClient has no getTable(db, table, getColumnStats,"
        + " engine), and its Table no colStats: both came with Hive 4");
  }

  @Override
  public boolean deletePartitionColumnStatistics(
      IMetaStoreClient client, String db, String table, String partition, String column)
      throws Exception {
    return client.deletePartitionColumnStatistics(db, table, partition, column);
  }
}
