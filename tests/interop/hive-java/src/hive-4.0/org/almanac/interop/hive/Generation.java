package org.almanac.interop.hive;

import java.util.List;
import java.util.Map;
import org.apache.hadoop.hive.metastore.IMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.AggrStats;
import org.apache.hadoop.hive.metastore.api.ColumnStatisticsObj;
import org.apache.hadoop.hive.metastore.api.ColumnStatistics;
import org.apache.hadoop.hive.metastore.api.Table;

/** Hive 4.0: configured through MetastoreConf; statistics calls name the engine ("hive"). */
public final class Generation implements ClientGeneration {
  private static final String ENGINE = "hive";

  @Override
  public String name() {
    return "4.0";
  }

  @Override
  public IMetaStoreClient connect(String uri) throws Exception {
    return StandaloneConnection.connect(uri);
  }

  @Override
  public List<ColumnStatisticsObj> getTableColumnStatistics(
      IMetaStoreClient client, String db, String table, List<String> columns) throws Exception {
    return client.getTableColumnStatistics(db, table, columns, ENGINE);
  }

  @Override
  public Map<String, List<ColumnStatisticsObj>> getPartitionColumnStatistics(
      IMetaStoreClient client, String db, String table, List<String> partitions,
      List<String> columns) throws Exception {
    return client.getPartitionColumnStatistics(db, table, partitions, columns, ENGINE);
  }

  @Override
  public AggrStats getAggrColStatsFor(
      IMetaStoreClient client, String db, String table, List<String> columns,
      List<String> partitions) throws Exception {
    return client.getAggrColStatsFor(db, table, columns, partitions, ENGINE);
  }

  @Override
  public boolean deleteTableColumnStatistics(
      IMetaStoreClient client, String db, String table, String column) throws Exception {
    return client.deleteTableColumnStatistics(db, table, column, ENGINE);
  }

  @Override
  public ColumnStatistics tableColStats(IMetaStoreClient client, String db, String table,
      boolean getColumnStats) throws Exception {
    Table t = client.getTable(db, table, getColumnStats, ENGINE);
    return t.isSetColStats() ? t.getColStats() : null;
  }

  @Override
  public boolean deletePartitionColumnStatistics(
      IMetaStoreClient client, String db, String table, String partition, String column)
      throws Exception {
    return client.deletePartitionColumnStatistics(db, table, partition, column, ENGINE);
  }
}
