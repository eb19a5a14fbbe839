package org.almanac.interop.hive;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.IMetaStoreClient;
import org.apache.hadoop.hive.metastore.conf.MetastoreConf;
import org.apache.hadoop.hive.metastore.conf.MetastoreConf.ConfVars;

/** Connects the standalone metastore client of Hive 3.1 and 4.0 (configured by MetastoreConf). */
final class StandaloneConnection {
  private StandaloneConnection() {}

  static IMetaStoreClient connect(String uri) throws Exception {
    Configuration conf = MetastoreConf.newMetastoreConf();
    MetastoreConf.setVar(conf, ConfVars.THRIFT_URIS, uri);
    MetastoreConf.setLongVar(conf, ConfVars.THRIFT_CONNECTION_RETRIES, 1);
    MetastoreConf.setLongVar(conf, ConfVars.THRIFT_FAILURE_RETRIES, 0);
    conf.set(ConfVars.CLIENT_SOCKET_TIMEOUT.getVarname(), "60s");
    return new HiveMetaStoreClient(conf);
  }
}
