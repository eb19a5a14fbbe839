package org.almanac.interop.hive;

import java.util.List;
import java.util.Map;
import org.apache.hadoop.hive.metastore.IMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.AggrStats;
import org.apache.hadoop.hive.metastore.api.ColumnStatistics;
import org.apache.hadoop.hive.metastore.api.ColumnStatisticsObj;

/** The statistics calls of Hive 2.3 and 3.1, whose clients have no engine argument. */
public abstract class PreHive4Generation implements ClientGeneration {
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
    throw new Check.Skip("Hive " + name()
        + "'s IMetaStoreClient has no getTable(db, table, getColumnStats,"
        + " engine), and its Table no colStats: both came with Hive 4");
  }

  @Override
  public boolean deletePartitionColumnStatistics(
      IMetaStoreClient client, String db, String table, String partition, String column)
      throws Exception {
    return client.deletePartitionColumnStatistics(db, table, partition, column);
  }
}
