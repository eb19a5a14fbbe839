package org.almanac.interop.hive;

import org.apache.hadoop.hive.conf.HiveConf;
import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.IMetaStoreClient;

/** Hive 2.3: configured through HiveConf; statistics calls in PreHive4Generation. */
public final class Generation extends PreHive4Generation {
  @Override
  public String name() {
    return "2.3";
  }

  @Override
  public IMetaStoreClient connect(String uri) throws Exception {
    HiveConf conf = new HiveConf();
    conf.setVar(HiveConf.ConfVars.METASTOREURIS, uri);
    conf.setIntVar(HiveConf.ConfVars.METASTORETHRIFTCONNECTIONRETRIES, 1);
    conf.setIntVar(HiveConf.ConfVars.METASTORETHRIFTFAILURERETRIES, 0);
    conf.set("hive.metastore.client.socket.timeout", "60s");
    return new HiveMetaStoreClient(conf);
  }
}
