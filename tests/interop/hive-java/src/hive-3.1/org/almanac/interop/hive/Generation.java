package org.almanac.interop.hive;

import org.apache.hadoop.hive.metastore.IMetaStoreClient;

/** Hive 3.1: configured through MetastoreConf; statistics calls in PreHive4Generation. */
public final class Generation extends PreHive4Generation {
  @Override
  public String name() {
    return "3.1";
  }

  @Override
  public IMetaStoreClient connect(String uri) throws Exception {
    return StandaloneConnection.connect(uri);
  }
}
