package org.almanac.interop.hive;

import static org.almanac.interop.hive.Check.contains;
import static org.almanac.interop.hive.Check.equal;
import static org.almanac.interop.hive.Check.equalDouble;
import static org.almanac.interop.hive.Check.isTrue;
import static org.almanac.interop.hive.Check.lacks;
import static org.almanac.interop.hive.Check.raises;
import static org.almanac.interop.hive.Check.sameElements;
import static org.almanac.interop.hive.Check.step;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.hadoop.hive.common.StatsSetupConst;
import org.apache.hadoop.hive.metastore.IMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.AggrStats;
import org.apache.hadoop.hive.metastore.api.AlreadyExistsException;
import org.apache.hadoop.hive.metastore.api.ColumnStatistics;
import org.apache.hadoop.hive.metastore.api.ColumnStatisticsData;
import org.apache.hadoop.hive.metastore.api.ColumnStatisticsDesc;
import org.apache.hadoop.hive.metastore.api.ColumnStatisticsObj;
import org.apache.hadoop.hive.metastore.api.Database;
import org.apache.hadoop.hive.metastore.api.DoubleColumnStatsData;
import org.apache.hadoop.hive.metastore.api.EnvironmentContext;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.Function;
import org.apache.hadoop.hive.metastore.api.FunctionType;
import org.apache.hadoop.hive.metastore.api.InvalidObjectException;
import org.apache.hadoop.hive.metastore.api.InvalidOperationException;
import org.apache.hadoop.hive.metastore.api.LockComponent;
import org.apache.hadoop.hive.metastore.api.LockLevel;
import org.apache.hadoop.hive.metastore.api.LockRequest;
import org.apache.hadoop.hive.metastore.api.LockResponse;
import org.apache.hadoop.hive.metastore.api.LockState;
import org.apache.hadoop.hive.metastore.api.LockType;
import org.apache.hadoop.hive.metastore.api.LongColumnStatsData;
import org.apache.hadoop.hive.metastore.api.MetaException;
import org.apache.hadoop.hive.metastore.api.NoSuchLockException;
import org.apache.hadoop.hive.metastore.api.NoSuchObjectException;
import org.apache.hadoop.hive.metastore.api.Partition;
import org.apache.hadoop.hive.metastore.api.PrincipalType;
import org.apache.hadoop.hive.metastore.api.ResourceType;
import org.apache.hadoop.hive.metastore.api.ResourceUri;
import org.apache.hadoop.hive.metastore.api.SerDeInfo;
import org.apache.hadoop.hive.metastore.api.ShowLocksRequest;
import org.apache.hadoop.hive.metastore.api.ShowLocksResponseElement;
import org.apache.hadoop.hive.metastore.api.StorageDescriptor;
import org.apache.hadoop.hive.metastore.api.StringColumnStatsData;
import org.apache.hadoop.hive.metastore.api.Table;
import org.apache.hadoop.hive.metastore.api.TableMeta;

/**
 * One DDL, partition, statistics, function and lock scenario, run unchanged by every Hive client
 * generation against a metastore. Every step checks what the metastore answered, as Apache Hive
 * Metastore answers it, and a failed check names the step, the expected and the actual value.
 *
 * <p>The scenario is split in sections. Each prints one line {@code RESULT <section> PASS},
 * {@code RESULT <section> FAIL <message>} or {@code RESULT <section> SKIP <reason>}; a section
 * whose prerequisite failed fails without running. The exit status is 0 when no section failed.
 *
 * <p>Arguments: {@code --uri thrift://host:port --prefix NAME --warehouse DIR --scratch DIR
 * [--sections a,b,...]}. {@code --warehouse} is the metastore's warehouse directory (where a
 * database without a location goes); {@code --scratch} is a directory for explicit locations.
 */
public final class Scenario {
  private static final String TEXT_INPUT = "org.apache.hadoop.mapred.TextInputFormat";
  private static final String TEXT_OUTPUT =
      "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat";
  private static final String LAZY_SIMPLE = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe";

  /** Sections in order, each with the sections it needs. */
  private static final String[][] SECTIONS = {
    {"databases"},
    {"tables", "databases"},
    {"rename", "databases"},
    {"partitions", "tables"},
    {"statistics", "partitions"},
    {"stats_state", "partitions"},
    {"table_with_stats", "partitions"},
    {"functions", "databases"},
    {"locks", "tables"},
    {"drop", "databases"},
  };

  private final ClientGeneration generation;
  private final IMetaStoreClient client;
  private final String prefix;
  private final Path warehouse;
  private final Path scratch;

  // Names. Hive lower-cases database, table and function names; some are created mixed-case on
  // purpose to check that.
  private final String db;
  private final String otherDb;
  private final String events = "events";
  private final String external = "events_ext";
  private final String plain = "plain";

  // Directories: the first database's explicit location, its managed table and the external
  // table's location.
  private final Path dbDir;
  private final Path eventsDir;
  private final Path externalDir;

  /** The values of the partitions of events that the metastore should have, as added. */
  private final List<List<String>> partitionValues = new ArrayList<>();

  private Scenario(ClientGeneration generation, IMetaStoreClient client, String prefix,
      Path warehouse, Path scratch) {
    this.generation = generation;
    this.client = client;
    this.prefix = prefix;
    this.warehouse = warehouse;
    this.scratch = scratch;
    this.db = prefix + "_db";
    this.otherDb = prefix + "_other";
    this.dbDir = scratch.resolve(prefix + "_custom_location").resolve(db + ".db");
    this.eventsDir = dbDir.resolve(events);
    this.externalDir = scratch.resolve(prefix + "_external").resolve(external);
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + args[i]);
      }
      opts.put(args[i].substring(2), args[i + 1]);
    }
    for (String required : new String[] {"uri", "prefix", "warehouse", "scratch"}) {
      if (!opts.containsKey(required)) {
        System.err.println("usage: Scenario --uri U --prefix P --warehouse DIR --scratch DIR"
            + " [--sections a,b]; missing --" + required);
        System.exit(2);
      }
    }
    Set<String> wanted = new LinkedHashSet<>();
    if (opts.containsKey("sections")) {
      wanted.addAll(Arrays.asList(opts.get("sections").split(",")));
    }
    ClientGeneration generation = new Generation();
    System.out.println("GENERATION " + generation.name());
    IMetaStoreClient client = generation.connect(opts.get("uri"));
    Scenario scenario = new Scenario(generation, client, opts.get("prefix"),
        Paths.get(opts.get("warehouse")), Paths.get(opts.get("scratch")));
    boolean ok;
    try {
      ok = scenario.run(wanted);
    } finally {
      scenario.cleanUp();
      client.close();
    }
    System.out.flush();
    // Hadoop and Hive leave non-daemon threads behind in some generations: exit explicitly.
    System.exit(ok ? 0 : 1);
  }

  private boolean run(Set<String> wanted) {
    Map<String, String> outcome = new LinkedHashMap<>();
    boolean ok = true;
    for (String[] section : SECTIONS) {
      String name = section[0];
      if (!wanted.isEmpty() && !wanted.contains(name)) {
        continue;
      }
      String failedPrerequisite = null;
      for (int i = 1; i < section.length; i++) {
        String status = outcome.get(section[i]);
        if (status != null && !status.equals("PASS")) {
          failedPrerequisite = section[i];
        }
      }
      String result;
      if (failedPrerequisite != null) {
        result = "FAIL not run: prerequisite section '" + failedPrerequisite + "' did not pass";
      } else {
        result = runSection(name);
      }
      outcome.put(name, result.split(" ", 2)[0]);
      ok &= !result.startsWith("FAIL");
      System.out.println("RESULT " + name + " " + result);
      System.out.flush();
    }
    return ok;
  }

  private String runSection(String name) {
    long start = System.nanoTime();
    try {
      switch (name) {
        case "databases":
          databases();
          break;
        case "tables":
          tables();
          break;
        case "rename":
          rename();
          break;
        case "partitions":
          partitions();
          break;
        case "statistics":
          statistics();
          break;
        case "stats_state":
          statsState();
          break;
        case "table_with_stats":
          tableWithStats();
          break;
        case "functions":
          functions();
          break;
        case "locks":
          locks();
          break;
        case "drop":
          drop();
          break;
        default:
          throw new IllegalArgumentException("unknown section " + name);
      }
      System.out.printf("TIME %s %.2fs%n", name, (System.nanoTime() - start) / 1e9);
      return "PASS";
    } catch (Check.Skip skip) {
      return "SKIP " + oneLine(skip.getMessage());
    } catch (Check.Failure failure) {
      return "FAIL " + oneLine(failure.getMessage());
    } catch (Throwable t) {
      StringWriter trace = new StringWriter();
      t.printStackTrace(new PrintWriter(trace));
      System.err.println("section " + name + ", step '" + Check.currentStep() + "':\n" + trace);
      return "FAIL " + oneLine("step '" + Check.currentStep() + "': unexpected "
          + t.getClass().getName() + ": " + t.getMessage());
    }
  }

  private static String oneLine(String s) {
    return String.valueOf(s).replace('\n', ' ').replace('\r', ' ');
  }

  /** Best effort: whatever a failed run left behind on the metastore goes. */
  private void cleanUp() {
    for (String name : new String[] {db, otherDb}) {
      try {
        client.dropDatabase(name, true, true, true);
      } catch (Exception e) {
        System.err.println("clean-up of database " + name + ": " + e);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // databases

  private void databases() throws Exception {
    step("create database with description, location and parameters");
    Database create = new Database();
    create.setName(db);
    create.setDescription("Almanac interop database");
    create.setLocationUri("file:" + dbDir);
    create.setParameters(map("purpose", "interop", "team", "almanac"));
    create.setOwnerName("interop_owner");
    create.setOwnerType(PrincipalType.USER);
    client.createDatabase(create);

    step("get database");
    Database got = client.getDatabase(db);
    equal("name", db, got.getName());
    equal("description", "Almanac interop database", got.getDescription());
    equal("location", dbDir.toString(), localPath(got.getLocationUri()));
    equal("parameters", map("purpose", "interop", "team", "almanac"), got.getParameters());
    equal("owner name", "interop_owner", got.getOwnerName());
    equal("owner type", PrincipalType.USER, got.getOwnerType());
    isTrue("database directory " + dbDir + " exists", Files.isDirectory(dbDir));

    step("create the same database again");
    raises("createDatabase of an existing name", AlreadyExistsException.class,
        () -> client.createDatabase(create));

    step("create a mixed-case database without location");
    Database other = new Database();
    other.setName(prefix.toUpperCase() + "_Other");
    other.setParameters(new HashMap<>());
    client.createDatabase(other);
    Database gotOther = client.getDatabase(otherDb);
    equal("name (lower-cased)", otherDb, gotOther.getName());
    equal("default location", warehouse.resolve(otherDb + ".db").toString(),
        localPath(gotOther.getLocationUri()));

    step("get a missing database");
    raises("getDatabase of a missing name", NoSuchObjectException.class,
        () -> client.getDatabase(prefix + "_missing"));

    step("list databases");
    List<String> all = client.getAllDatabases();
    contains("getAllDatabases", all, db);
    contains("getAllDatabases", all, otherDb);
    contains("getAllDatabases", all, "default");
    equal("getDatabases('" + prefix + "_*')", Arrays.asList(db, otherDb),
        client.getDatabases(prefix + "_*"));
    equal("getDatabases('" + prefix + "_d*')", Collections.singletonList(db),
        client.getDatabases(prefix + "_d*"));
    equal("getDatabases with alternatives", Arrays.asList(db, otherDb),
        client.getDatabases(otherDb + "|" + db));
    equal("getDatabases is case-insensitive", Collections.singletonList(db),
        client.getDatabases(db.toUpperCase()));

    step("alter database parameters and owner");
    Database alter = client.getDatabase(db);
    alter.getParameters().put("stage", "altered");
    alter.getParameters().remove("team");
    alter.setOwnerName("new_owner");
    alter.setOwnerType(PrincipalType.ROLE);
    client.alterDatabase(db, alter);
    Database altered = client.getDatabase(db);
    equal("parameters", map("purpose", "interop", "stage", "altered"), altered.getParameters());
    equal("owner name", "new_owner", altered.getOwnerName());
    equal("owner type", PrincipalType.ROLE, altered.getOwnerType());
    equal("description (unchanged)", "Almanac interop database", altered.getDescription());
    equal("location (unchanged)", dbDir.toString(), localPath(altered.getLocationUri()));
  }

  // ---------------------------------------------------------------------------------------------
  // tables

  private static List<FieldSchema> eventColumns() {
    return new ArrayList<>(Arrays.asList(
        new FieldSchema("id", "bigint", "row id"),
        new FieldSchema("name", "string", null),
        new FieldSchema("amount", "double", "amount in EUR")));
  }

  private static List<FieldSchema> eventPartitionKeys() {
    return Arrays.asList(new FieldSchema("ds", "string", "day"),
        new FieldSchema("hr", "int", "hour"));
  }

  private static StorageDescriptor textStorage(List<FieldSchema> columns, String location) {
    StorageDescriptor sd = new StorageDescriptor();
    sd.setCols(columns);
    sd.setLocation(location);
    sd.setInputFormat(TEXT_INPUT);
    sd.setOutputFormat(TEXT_OUTPUT);
    sd.setCompressed(false);
    sd.setNumBuckets(-1);
    sd.setBucketCols(new ArrayList<>());
    sd.setSortCols(new ArrayList<>());
    sd.setParameters(new HashMap<>());
    SerDeInfo serde = new SerDeInfo();
    serde.setSerializationLib(LAZY_SIMPLE);
    serde.setParameters(map("serialization.format", ",", "field.delim", ","));
    sd.setSerdeInfo(serde);
    return sd;
  }

  private Table newTable(String name, List<FieldSchema> columns, List<FieldSchema> partitionKeys,
      String tableType, String location, Map<String, String> parameters) {
    Table table = new Table();
    table.setDbName(db);
    table.setTableName(name);
    table.setOwner("interop_owner");
    table.setTableType(tableType);
    table.setSd(textStorage(columns, location));
    table.setPartitionKeys(partitionKeys);
    table.setParameters(parameters);
    return table;
  }

  private void tables() throws Exception {
    step("create a partitioned managed table (mixed-case name, no location)");
    client.createTable(newTable("Events", eventColumns(), eventPartitionKeys(), "MANAGED_TABLE",
        null, map("comment", "interop events", "owner_team", "almanac")));

    step("get the partitioned table");
    Table t = client.getTable(db, events);
    equal("table name (lower-cased)", events, t.getTableName());
    equal("database", db, t.getDbName());
    equal("owner", "interop_owner", t.getOwner());
    equal("table type", "MANAGED_TABLE", t.getTableType());
    equal("columns", eventColumns(), t.getSd().getCols());
    equal("partition keys", eventPartitionKeys(), t.getPartitionKeys());
    equal("parameter comment", "interop events", t.getParameters().get("comment"));
    equal("parameter owner_team", "almanac", t.getParameters().get("owner_team"));
    isTrue("parameter transient_lastDdlTime is a number: " + t.getParameters(),
        isNumber(t.getParameters().get("transient_lastDdlTime")));
    isTrue("createTime > 0: " + t.getCreateTime(), t.getCreateTime() > 0);
    equal("default location", eventsDir.toString(), localPath(t.getSd().getLocation()));
    equal("input format", TEXT_INPUT, t.getSd().getInputFormat());
    equal("output format", TEXT_OUTPUT, t.getSd().getOutputFormat());
    equal("serde", LAZY_SIMPLE, t.getSd().getSerdeInfo().getSerializationLib());
    equal("serde parameters", map("serialization.format", ",", "field.delim", ","),
        t.getSd().getSerdeInfo().getParameters());
    isTrue("table directory " + eventsDir + " exists", Files.isDirectory(eventsDir));

    step("create an external table at an explicit location");
    Files.createDirectories(externalDir);
    Files.write(externalDir.resolve("data.csv"), "1,a,1.5\n".getBytes(StandardCharsets.UTF_8));
    client.createTable(newTable(external, eventColumns(), new ArrayList<>(), "EXTERNAL_TABLE",
        "file:" + externalDir, map("EXTERNAL", "TRUE")));
    Table ext = client.getTable(db, external);
    equal("table type", "EXTERNAL_TABLE", ext.getTableType());
    equal("location", externalDir.toString(), localPath(ext.getSd().getLocation()));
    equal("partition keys", new ArrayList<FieldSchema>(), ext.getPartitionKeys());

    step("create an unpartitioned managed table");
    client.createTable(newTable(plain, eventColumns(), new ArrayList<>(), "MANAGED_TABLE", null,
        new HashMap<>()));
    equal("location", dbDir.resolve(plain).toString(),
        localPath(client.getTable(db, plain).getSd().getLocation()));

    step("create an existing table again");
    raises("createTable of an existing name", AlreadyExistsException.class,
        () -> client.createTable(newTable(events, eventColumns(), eventPartitionKeys(),
            "MANAGED_TABLE", null, new HashMap<>())));

    step("create a table in a missing database");
    Table orphan = newTable("orphan", eventColumns(), new ArrayList<>(), "MANAGED_TABLE", null,
        new HashMap<>());
    orphan.setDbName(prefix + "_missing");
    // Hive 4's client sends create_table_req, which HMS answers with InvalidObjectException
    // where create_table answers NoSuchObjectException.
    if (generation.name().startsWith("4")) {
      raises("createTable in a missing database", InvalidObjectException.class,
          () -> client.createTable(orphan));
    } else {
      raises("createTable in a missing database", NoSuchObjectException.class,
          () -> client.createTable(orphan));
    }

    step("get a missing table");
    raises("getTable of a missing name", NoSuchObjectException.class,
        () -> client.getTable(db, "missing"));

    step("tableExists");
    isTrue("tableExists(events)", client.tableExists(db, events));
    isTrue("tableExists(missing) is false", !client.tableExists(db, "missing"));

    step("getTableObjectsByName");
    List<String> found = new ArrayList<>();
    for (Table table : client.getTableObjectsByName(db, Arrays.asList(events, plain, "missing"))) {
      found.add(table.getTableName());
      equal("database of " + table.getTableName(), db, table.getDbName());
    }
    sameElements("tables found (a missing name is left out)", Arrays.asList(events, plain), found);

    step("getFields and getSchema");
    equal("getFields", eventColumns(), client.getFields(db, events));
    List<FieldSchema> schema = eventColumns();
    schema.addAll(eventPartitionKeys());
    equal("getSchema (columns, then partition keys)", schema, client.getSchema(db, events));

    step("list tables");
    equal("getTables('events*')", Arrays.asList(events, external), client.getTables(db, "events*"));
    equal("getTables('EVENTS') is case-insensitive", Collections.singletonList(events),
        client.getTables(db, "EVENTS"));
    equal("getTables('*')", Arrays.asList(events, external, plain), client.getTables(db, "*"));
    equal("getAllTables", Arrays.asList(events, external, plain), client.getAllTables(db));

    step("getTableMeta");
    Map<String, TableMeta> metas = new HashMap<>();
    for (TableMeta meta : client.getTableMeta(db, "*", null)) {
      equal("TableMeta database of " + meta.getTableName(), db, meta.getDbName());
      metas.put(meta.getTableName(), meta);
    }
    sameElements("getTableMeta(db, '*') tables", Arrays.asList(events, external, plain),
        metas.keySet());
    equal("TableMeta type of events", "MANAGED_TABLE", metas.get(events).getTableType());
    equal("TableMeta type of events_ext", "EXTERNAL_TABLE", metas.get(external).getTableType());
    equal("TableMeta comments of events", "interop events", metas.get(events).getComments());
    List<String> externalOnly = new ArrayList<>();
    for (TableMeta meta :
        client.getTableMeta(db, "events*", Collections.singletonList("EXTERNAL_TABLE"))) {
      externalOnly.add(meta.getTableName());
    }
    equal("getTableMeta(db, 'events*', [EXTERNAL_TABLE])", Collections.singletonList(external),
        externalOnly);

    step("alter table: changing the partition keys is refused");
    Table rekey = client.getTable(db, events);
    rekey.setPartitionKeys(new ArrayList<>(Collections.singletonList(
        new FieldSchema("ds", "string", "day"))));
    raises("alter_table with other partition keys", InvalidOperationException.class,
        () -> client.alter_table(db, events, rekey));
    equal("partition keys (unchanged)", eventPartitionKeys(),
        client.getTable(db, events).getPartitionKeys());

    step("alter table properties");
    Table alter = client.getTable(db, events);
    alter.getParameters().put("stage", "altered");
    alter.getParameters().remove("owner_team");
    client.alter_table(db, events, alter);
    Table altered = client.getTable(db, events);
    equal("parameter stage", "altered", altered.getParameters().get("stage"));
    lacks("parameters", altered.getParameters().keySet(), "owner_team");
    equal("parameter comment", "interop events", altered.getParameters().get("comment"));
    equal("columns (unchanged)", eventColumns(), altered.getSd().getCols());
    equal("location (unchanged)", eventsDir.toString(), localPath(altered.getSd().getLocation()));
  }

  // ---------------------------------------------------------------------------------------------
  // rename

  private void rename() throws Exception {
    step("create a partitioned managed table to rename, with a partition and a data file");
    List<FieldSchema> keys = Collections.singletonList(new FieldSchema("ds", "string", null));
    client.createTable(newTable("to_rename", eventColumns(), keys, "MANAGED_TABLE", null,
        new HashMap<>()));
    Table table = client.getTable(db, "to_rename");
    Path oldDir = dbDir.resolve("to_rename");
    equal("location", oldDir.toString(), localPath(table.getSd().getLocation()));
    client.add_partition(newPartition(table, Collections.singletonList("a")));
    Path oldPartDir = oldDir.resolve("ds=a");
    Files.createDirectories(oldPartDir);
    Files.write(oldPartDir.resolve("part-0"), "x\n".getBytes(StandardCharsets.UTF_8));

    step("rename the managed table");
    table.setTableName("renamed");
    client.alter_table(db, "to_rename", table);
    raises("getTable of the old name", NoSuchObjectException.class,
        () -> client.getTable(db, "to_rename"));
    Table renamed = client.getTable(db, "renamed");
    Path newDir = dbDir.resolve("renamed");
    equal("table name", "renamed", renamed.getTableName());
    equal("location moved with the name", newDir.toString(),
        localPath(renamed.getSd().getLocation()));
    Partition part = client.getPartition(db, "renamed", Collections.singletonList("a"));
    equal("partition location moved", newDir.resolve("ds=a").toString(),
        localPath(part.getSd().getLocation()));
    isTrue("old directory " + oldDir + " is gone", !Files.exists(oldDir));
    isTrue("data file moved to " + newDir.resolve("ds=a/part-0"),
        Files.isRegularFile(newDir.resolve("ds=a").resolve("part-0")));
    equal("getTables('*rename*') after the rename", Collections.singletonList("renamed"),
        client.getTables(db, "*rename*"));

    step("rename onto an existing table is refused");
    client.createTable(newTable("occupied", eventColumns(), new ArrayList<>(), "MANAGED_TABLE",
        null, new HashMap<>()));
    Table clash = client.getTable(db, "renamed");
    clash.setTableName("occupied");
    raises("alter_table renaming onto an existing table", InvalidOperationException.class,
        () -> client.alter_table(db, "renamed", clash));
    equal("location of the table not renamed", newDir.toString(),
        localPath(client.getTable(db, "renamed").getSd().getLocation()));
    client.dropTable(db, "occupied", true, false);

    step("move the table to another database");
    Table move = client.getTable(db, "renamed");
    move.setDbName(otherDb);
    move.setTableName("moved");
    client.alter_table(db, "renamed", move);
    raises("getTable of the old name", NoSuchObjectException.class,
        () -> client.getTable(db, "renamed"));
    Table moved = client.getTable(otherDb, "moved");
    Path movedDir = warehouse.resolve(otherDb + ".db").resolve("moved");
    equal("database", otherDb, moved.getDbName());
    equal("location in the new database", movedDir.toString(),
        localPath(moved.getSd().getLocation()));
    equal("partitions in the new database", Collections.singletonList("ds=a"),
        client.listPartitionNames(otherDb, "moved", (short) -1));
    isTrue("data file moved to " + movedDir.resolve("ds=a/part-0"),
        Files.isRegularFile(movedDir.resolve("ds=a").resolve("part-0")));
  }

  // ---------------------------------------------------------------------------------------------
  // partitions

  private Partition newPartition(Table table, List<String> values) {
    Partition p = new Partition();
    p.setDbName(table.getDbName());
    p.setTableName(table.getTableName());
    p.setValues(new ArrayList<>(values));
    StorageDescriptor sd = table.getSd().deepCopy();
    sd.setLocation(null);
    p.setSd(sd);
    p.setParameters(new HashMap<>());
    return p;
  }

  private static String partName(List<String> values) {
    return "ds=" + values.get(0) + "/hr=" + values.get(1);
  }

  private List<String> expectedNames(Predicate<List<String>> filter) {
    List<String> names = new ArrayList<>();
    for (List<String> values : partitionValues) {
      if (filter.test(values)) {
        names.add(partName(values));
      }
    }
    names.sort(null);
    return names;
  }

  private static List<String> names(List<Partition> partitions) {
    List<String> out = new ArrayList<>();
    for (Partition p : partitions) {
      out.add(partName(p.getValues()));
    }
    return out;
  }

  private static int hr(List<String> values) {
    return Integer.parseInt(values.get(1));
  }

  private void partitions() throws Exception {
    Table table = client.getTable(db, events);

    step("add one partition");
    List<String> first = Arrays.asList("2024-01-01", "0");
    Partition single = newPartition(table, first);
    single.getParameters().put("origin", "single");
    Partition added = client.add_partition(single);
    partitionValues.add(first);
    equal("values", first, added.getValues());
    equal("location", eventsDir.resolve("ds=2024-01-01/hr=0").toString(),
        localPath(added.getSd().getLocation()));
    isTrue("partition directory ds=2024-01-01/hr=0 exists",
        Files.isDirectory(eventsDir.resolve("ds=2024-01-01/hr=0")));

    step("add an existing partition again");
    raises("add_partition of existing values", AlreadyExistsException.class,
        () -> client.add_partition(newPartition(table, first)));

    step("add_partitions: a batch of 50");
    List<Partition> batch = new ArrayList<>();
    for (int hr = 1; hr <= 24; hr++) {
      batch.add(newPartition(table, Arrays.asList("2024-01-01", Integer.toString(hr))));
    }
    for (int hr = 0; hr < 24; hr++) {
      batch.add(newPartition(table, Arrays.asList("2024-01-02", Integer.toString(hr))));
    }
    batch.add(newPartition(table, Arrays.asList("2024-01-03", "0")));
    batch.add(newPartition(table, Arrays.asList("2024-01-03", "1")));
    equal("add_partitions result", 50, client.add_partitions(batch));
    for (Partition p : batch) {
      partitionValues.add(p.getValues());
    }

    step("appendPartition by values and by name");
    Partition appended = client.appendPartition(db, events, Arrays.asList("2024-01-05", "0"));
    equal("values", Arrays.asList("2024-01-05", "0"), appended.getValues());
    equal("location", eventsDir.resolve("ds=2024-01-05/hr=0").toString(),
        localPath(appended.getSd().getLocation()));
    equal("columns (the table's)", eventColumns(), appended.getSd().getCols());
    isTrue("partition directory ds=2024-01-05/hr=0 exists",
        Files.isDirectory(eventsDir.resolve("ds=2024-01-05/hr=0")));
    Partition appendedByName = client.appendPartition(db, events, "ds=2024-01-05/hr=1");
    equal("values", Arrays.asList("2024-01-05", "1"), appendedByName.getValues());
    partitionValues.add(Arrays.asList("2024-01-05", "0"));
    partitionValues.add(Arrays.asList("2024-01-05", "1"));
    raises("appendPartition of existing values", AlreadyExistsException.class,
        () -> client.appendPartition(db, events, Arrays.asList("2024-01-05", "0")));

    step("listPartitions");
    List<Partition> listed = client.listPartitions(db, events, (short) -1);
    equal("partitions in name order", expectedNames(v -> true), names(listed));
    for (Partition p : listed) {
      String name = partName(p.getValues());
      equal("database of " + name, db, p.getDbName());
      equal("table of " + name, events, p.getTableName());
      equal("location of " + name, eventsDir.resolve(name).toString(),
          localPath(p.getSd().getLocation()));
      equal("columns of " + name, eventColumns(), p.getSd().getCols());
      isTrue("createTime of " + name + " > 0: " + p.getCreateTime(), p.getCreateTime() > 0);
      isTrue("parameter transient_lastDdlTime of " + name + " is a number: " + p.getParameters(),
          isNumber(p.getParameters().get("transient_lastDdlTime")));
    }
    equal("listPartitions with max 7", expectedNames(v -> true).subList(0, 7),
        names(client.listPartitions(db, events, (short) 7)));

    step("listPartitionNames");
    equal("partition names in order", expectedNames(v -> true),
        client.listPartitionNames(db, events, (short) -1));
    equal("listPartitionNames with max 5", expectedNames(v -> true).subList(0, 5),
        client.listPartitionNames(db, events, (short) 5));

    step("listPartitions and listPartitionNames by partial values");
    equal("listPartitions(ds=2024-01-02)", expectedNames(v -> v.get(0).equals("2024-01-02")),
        names(client.listPartitions(db, events, Collections.singletonList("2024-01-02"),
            (short) -1)));
    equal("listPartitionNames(ds=2024-01-02) with max 3",
        expectedNames(v -> v.get(0).equals("2024-01-02")).subList(0, 3),
        client.listPartitionNames(db, events, Collections.singletonList("2024-01-02"), (short) 3));
    equal("listPartitionNames(ds=<any>, hr=5)", expectedNames(v -> hr(v) == 5),
        client.listPartitionNames(db, events, Arrays.asList("", "5"), (short) -1));

    step("listPartitionsByFilter");
    String filter = "ds = \"2024-01-01\" and hr > 3";
    List<String> expected = expectedNames(v -> v.get(0).equals("2024-01-01") && hr(v) > 3);
    equal("count expected for the filter (scenario self-check)", 21, expected.size());
    equal("partitions for '" + filter + "'", expected,
        names(client.listPartitionsByFilter(db, events, filter, (short) -1)));
    equal("partitions for '" + filter + "' with max 5", expected.subList(0, 5),
        names(client.listPartitionsByFilter(db, events, filter, (short) 5)));
    String filter2 = "ds = \"2024-01-03\" or (ds = \"2024-01-02\" and hr < 2)";
    List<String> expected2 = expectedNames(v -> v.get(0).equals("2024-01-03")
        || (v.get(0).equals("2024-01-02") && hr(v) < 2));
    equal("partitions for '" + filter2 + "'", expected2,
        names(client.listPartitionsByFilter(db, events, filter2, (short) -1)));
    String filter3 = "ds >= \"2024-01-02\" and hr between 10 and 12";
    List<String> expected3 = expectedNames(v -> v.get(0).compareTo("2024-01-02") >= 0
        && hr(v) >= 10 && hr(v) <= 12);
    equal("partitions for '" + filter3 + "'", expected3,
        names(client.listPartitionsByFilter(db, events, filter3, (short) -1)));

    step("listPartitionsByFilter with a bad filter");
    raises("a filter on a column that is not a partition key", MetaException.class,
        () -> client.listPartitionsByFilter(db, events, "id = 1", (short) -1));
    raises("a filter that does not parse", MetaException.class,
        () -> client.listPartitionsByFilter(db, events, "ds = ", (short) -1));

    step("getNumPartitionsByFilter");
    equal("count for '" + filter + "'", 21, client.getNumPartitionsByFilter(db, events, filter));
    equal("count for '" + filter2 + "'", expected2.size(),
        client.getNumPartitionsByFilter(db, events, filter2));
    equal("count for 'ds = \"2099-01-01\"'", 0,
        client.getNumPartitionsByFilter(db, events, "ds = \"2099-01-01\""));

    step("getPartitionsByNames");
    List<Partition> byNames = client.getPartitionsByNames(db, events,
        Arrays.asList("ds=2024-01-01/hr=5", "ds=2024-01-03/hr=1", "ds=2099-01-01/hr=0"));
    sameElements("partitions found (a missing name is left out)",
        Arrays.asList("ds=2024-01-01/hr=5", "ds=2024-01-03/hr=1"), names(byNames));

    step("getPartition by values");
    Partition byValues = client.getPartition(db, events, Arrays.asList("2024-01-01", "0"));
    equal("values", Arrays.asList("2024-01-01", "0"), byValues.getValues());
    equal("parameter origin", "single", byValues.getParameters().get("origin"));
    equal("location", eventsDir.resolve("ds=2024-01-01/hr=0").toString(),
        localPath(byValues.getSd().getLocation()));

    step("getPartition by name");
    Partition byName = client.getPartition(db, events, "ds=2024-01-02/hr=7");
    equal("values", Arrays.asList("2024-01-02", "7"), byName.getValues());
    equal("location", eventsDir.resolve("ds=2024-01-02/hr=7").toString(),
        localPath(byName.getSd().getLocation()));

    step("getPartition of missing values");
    raises("getPartition of missing values", NoSuchObjectException.class,
        () -> client.getPartition(db, events, Arrays.asList("2099-01-01", "0")));

    step("alter_partition");
    Partition alter = client.getPartition(db, events, Arrays.asList("2024-01-01", "5"));
    alter.getParameters().put("stage", "altered");
    alter.getSd().getSerdeInfo().getParameters().put("escape.delim", "\\");
    client.alter_partition(db, events, alter);
    Partition altered = client.getPartition(db, events, Arrays.asList("2024-01-01", "5"));
    equal("parameter stage", "altered", altered.getParameters().get("stage"));
    equal("serde parameter escape.delim", "\\",
        altered.getSd().getSerdeInfo().getParameters().get("escape.delim"));
    equal("values (unchanged)", Arrays.asList("2024-01-01", "5"), altered.getValues());
    equal("location (unchanged)", eventsDir.resolve("ds=2024-01-01/hr=5").toString(),
        localPath(altered.getSd().getLocation()));
    equal("table serde parameters (unchanged)",
        map("serialization.format", ",", "field.delim", ","),
        client.getTable(db, events).getSd().getSerdeInfo().getParameters());

    step("alter_partitions (a batch of two)");
    List<Partition> alterBatch = client.getPartitionsByNames(db, events,
        Arrays.asList("ds=2024-01-01/hr=6", "ds=2024-01-01/hr=7"));
    for (Partition p : alterBatch) {
      p.getParameters().put("batch", "altered");
    }
    client.alter_partitions(db, events, alterBatch);
    for (Partition p : client.getPartitionsByNames(db, events,
        Arrays.asList("ds=2024-01-01/hr=6", "ds=2024-01-01/hr=7"))) {
      equal("parameter batch of " + partName(p.getValues()), "altered",
          p.getParameters().get("batch"));
    }
    lacks("parameters of ds=2024-01-01/hr=8 (not in the batch)",
        client.getPartition(db, events, "ds=2024-01-01/hr=8").getParameters().keySet(), "batch");

    step("alter table: add a column without CASCADE");
    Table addColumn = client.getTable(db, events);
    addColumn.getSd().getCols().add(new FieldSchema("note", "string", "added"));
    client.alter_table(db, events, addColumn);
    List<FieldSchema> fourColumns = eventColumns();
    fourColumns.add(new FieldSchema("note", "string", "added"));
    equal("table columns", fourColumns, client.getTable(db, events).getSd().getCols());
    equal("columns of an existing partition (kept without CASCADE)", eventColumns(),
        client.getPartition(db, events, Arrays.asList("2024-01-01", "6")).getSd().getCols());

    step("alter table: add a column with CASCADE");
    Table cascade = client.getTable(db, events);
    cascade.getSd().getCols().add(new FieldSchema("extra", "string", null));
    EnvironmentContext context = new EnvironmentContext();
    context.putToProperties("CASCADE", "true");
    client.alter_table_with_environmentContext(db, events, cascade, context);
    List<FieldSchema> fiveColumns = new ArrayList<>(fourColumns);
    fiveColumns.add(new FieldSchema("extra", "string", null));
    equal("table columns", fiveColumns, client.getTable(db, events).getSd().getCols());
    for (Partition p : client.listPartitions(db, events, (short) -1)) {
      equal("columns of partition " + partName(p.getValues()) + " (CASCADE)", fiveColumns,
          p.getSd().getCols());
    }

    step("renamePartition");
    Path oldDir = eventsDir.resolve("ds=2024-01-03/hr=1");
    isTrue("partition directory " + oldDir + " exists", Files.isDirectory(oldDir));
    Files.write(oldDir.resolve("part-0"), "1,a,1.5\n".getBytes(StandardCharsets.UTF_8));
    Partition toRename = client.getPartition(db, events, Arrays.asList("2024-01-03", "1"));
    toRename.setValues(Arrays.asList("2024-01-04", "1"));
    client.renamePartition(db, events, Arrays.asList("2024-01-03", "1"), toRename);
    raises("getPartition of the old values", NoSuchObjectException.class,
        () -> client.getPartition(db, events, Arrays.asList("2024-01-03", "1")));
    Partition renamed = client.getPartition(db, events, Arrays.asList("2024-01-04", "1"));
    Path newDir = eventsDir.resolve("ds=2024-01-04/hr=1");
    equal("location follows the new values", newDir.toString(),
        localPath(renamed.getSd().getLocation()));
    isTrue("old partition directory " + oldDir + " is gone", !Files.exists(oldDir));
    isTrue("data file moved to " + newDir, Files.isRegularFile(newDir.resolve("part-0")));
    partitionValues.remove(Arrays.asList("2024-01-03", "1"));
    partitionValues.add(Arrays.asList("2024-01-04", "1"));

    step("renamePartition onto existing values is refused");
    Partition onto = client.getPartition(db, events, Arrays.asList("2024-01-04", "1"));
    onto.setValues(Arrays.asList("2024-01-01", "1"));
    raises("renamePartition onto existing values", InvalidOperationException.class,
        () -> client.renamePartition(db, events, Arrays.asList("2024-01-04", "1"), onto));
    equal("the partition keeps its values", Arrays.asList("2024-01-04", "1"),
        client.getPartition(db, events, Arrays.asList("2024-01-04", "1")).getValues());

    step("dropPartition by values, deleting data");
    isTrue("dropPartition result",
        client.dropPartition(db, events, Arrays.asList("2024-01-04", "1"), true));
    raises("getPartition of a dropped partition", NoSuchObjectException.class,
        () -> client.getPartition(db, events, Arrays.asList("2024-01-04", "1")));
    isTrue("directory " + newDir + " deleted", !Files.exists(newDir));
    partitionValues.remove(Arrays.asList("2024-01-04", "1"));

    step("dropPartition by name, keeping data");
    Path keptDir = eventsDir.resolve("ds=2024-01-03/hr=0");
    isTrue("dropPartition result", client.dropPartition(db, events, "ds=2024-01-03/hr=0", false));
    isTrue("directory " + keptDir + " kept", Files.isDirectory(keptDir));
    partitionValues.remove(Arrays.asList("2024-01-03", "0"));

    step("drop a missing partition");
    raises("dropPartition of missing values", NoSuchObjectException.class,
        () -> client.dropPartition(db, events, Arrays.asList("2099-01-01", "0"), false));

    step("partitions after the drops");
    equal("partition names", expectedNames(v -> true),
        client.listPartitionNames(db, events, (short) -1));
    equal("count", 51, client.listPartitionNames(db, events, (short) -1).size());
    equal("count for 'ds = \"2024-01-03\"'", 0,
        client.getNumPartitionsByFilter(db, events, "ds = \"2024-01-03\""));
  }

  // ---------------------------------------------------------------------------------------------
  // statistics

  private static ColumnStatisticsObj longStats(String column, long low, long high, long nulls,
      long ndv) {
    LongColumnStatsData data = new LongColumnStatsData(nulls, ndv);
    data.setLowValue(low);
    data.setHighValue(high);
    return new ColumnStatisticsObj(column, "bigint", ColumnStatisticsData.longStats(data));
  }

  private static ColumnStatisticsObj doubleStats(String column, double low, double high,
      long nulls, long ndv) {
    DoubleColumnStatsData data = new DoubleColumnStatsData(nulls, ndv);
    data.setLowValue(low);
    data.setHighValue(high);
    return new ColumnStatisticsObj(column, "double", ColumnStatisticsData.doubleStats(data));
  }

  private static ColumnStatisticsObj stringStats(String column, long maxLen, double avgLen,
      long nulls, long ndv) {
    return new ColumnStatisticsObj(column, "string",
        ColumnStatisticsData.stringStats(new StringColumnStatsData(maxLen, avgLen, nulls, ndv)));
  }

  private ColumnStatistics columnStatistics(String partition, ColumnStatisticsObj... objs) {
    ColumnStatisticsDesc desc = new ColumnStatisticsDesc(partition == null, db, events);
    if (partition != null) {
      desc.setPartName(partition);
    }
    return new ColumnStatistics(desc, new ArrayList<>(Arrays.asList(objs)));
  }

  /** Compares the statistics that a scenario sets with those read back, field by field. */
  private static void sameStats(String what, List<ColumnStatisticsObj> expected,
      List<ColumnStatisticsObj> actual) {
    Map<String, ColumnStatisticsObj> byName = new HashMap<>();
    List<String> actualNames = new ArrayList<>();
    for (ColumnStatisticsObj obj : actual) {
      byName.put(obj.getColName(), obj);
      actualNames.add(obj.getColName());
    }
    List<String> expectedNames = new ArrayList<>();
    for (ColumnStatisticsObj obj : expected) {
      expectedNames.add(obj.getColName());
    }
    sameElements(what + ": columns", expectedNames, actualNames);
    for (ColumnStatisticsObj e : expected) {
      ColumnStatisticsObj a = byName.get(e.getColName());
      String col = what + ": " + e.getColName();
      equal(col + " type", e.getColType(), a.getColType());
      equal(col + " kind of statistics", e.getStatsData().getSetField(),
          a.getStatsData().getSetField());
      switch (e.getStatsData().getSetField()) {
        case LONG_STATS: {
          LongColumnStatsData x = e.getStatsData().getLongStats();
          LongColumnStatsData y = a.getStatsData().getLongStats();
          equal(col + " lowValue", x.getLowValue(), y.getLowValue());
          equal(col + " highValue", x.getHighValue(), y.getHighValue());
          equal(col + " numNulls", x.getNumNulls(), y.getNumNulls());
          equal(col + " numDVs", x.getNumDVs(), y.getNumDVs());
          break;
        }
        case DOUBLE_STATS: {
          DoubleColumnStatsData x = e.getStatsData().getDoubleStats();
          DoubleColumnStatsData y = a.getStatsData().getDoubleStats();
          equalDouble(col + " lowValue", x.getLowValue(), y.getLowValue());
          equalDouble(col + " highValue", x.getHighValue(), y.getHighValue());
          equal(col + " numNulls", x.getNumNulls(), y.getNumNulls());
          equal(col + " numDVs", x.getNumDVs(), y.getNumDVs());
          break;
        }
        case STRING_STATS: {
          StringColumnStatsData x = e.getStatsData().getStringStats();
          StringColumnStatsData y = a.getStatsData().getStringStats();
          equal(col + " maxColLen", x.getMaxColLen(), y.getMaxColLen());
          equalDouble(col + " avgColLen", x.getAvgColLen(), y.getAvgColLen());
          equal(col + " numNulls", x.getNumNulls(), y.getNumNulls());
          equal(col + " numDVs", x.getNumDVs(), y.getNumDVs());
          break;
        }
        default:
          throw new IllegalStateException("unexpected statistics " + e);
      }
    }
  }

  private void statistics() throws Exception {
    List<String> columns = Arrays.asList("id", "name", "amount");
    List<ColumnStatisticsObj> table = Arrays.asList(
        longStats("id", 1, 1000, 0, 900),
        stringStats("name", 20, 7.5, 3, 50),
        doubleStats("amount", 0.5, 99.25, 1, 400));
    String p1 = "ds=2024-01-01/hr=1";
    String p2 = "ds=2024-01-01/hr=2";
    List<ColumnStatisticsObj> part1 = Arrays.asList(
        longStats("id", 10, 200, 2, 150),
        stringStats("name", 12, 5.25, 0, 40),
        doubleStats("amount", 1.25, 50.0, 4, 120));
    List<ColumnStatisticsObj> part2 = Arrays.asList(
        longStats("id", 5, 150, 1, 130),
        stringStats("name", 18, 6.5, 2, 45),
        doubleStats("amount", 0.75, 75.5, 0, 110));

    step("updateTableColumnStatistics (bigint, string, double)");
    isTrue("updateTableColumnStatistics result", client.updateTableColumnStatistics(
        columnStatistics(null, table.toArray(new ColumnStatisticsObj[0]))));

    step("getTableColumnStatistics");
    sameStats("table statistics", table,
        generation.getTableColumnStatistics(client, db, events, columns));
    sameStats("table statistics of id and a column without statistics",
        Collections.singletonList(table.get(0)),
        generation.getTableColumnStatistics(client, db, events, Arrays.asList("id", "note")));

    step("updatePartitionColumnStatistics for two partitions");
    isTrue("updatePartitionColumnStatistics result (" + p1 + ")",
        client.updatePartitionColumnStatistics(
            columnStatistics(p1, part1.toArray(new ColumnStatisticsObj[0]))));
    isTrue("updatePartitionColumnStatistics result (" + p2 + ")",
        client.updatePartitionColumnStatistics(
            columnStatistics(p2, part2.toArray(new ColumnStatisticsObj[0]))));

    step("getPartitionColumnStatistics");
    Map<String, List<ColumnStatisticsObj>> parts = generation.getPartitionColumnStatistics(
        client, db, events, Arrays.asList(p1, p2, "ds=2024-01-01/hr=3"), columns);
    sameElements("partitions with statistics", Arrays.asList(p1, p2),
        new ArrayList<>(parts.keySet()));
    sameStats("statistics of " + p1, part1, parts.get(p1));
    sameStats("statistics of " + p2, part2, parts.get(p2));
    sameStats("table statistics (unchanged by partition statistics)", table,
        generation.getTableColumnStatistics(client, db, events, columns));

    step("getAggrColStatsFor");
    AggrStats aggr = generation.getAggrColStatsFor(client, db, events, columns,
        Arrays.asList(p1, p2));
    equal("partsFound", 2L, aggr.getPartsFound());
    // Hive merges: min of lows, max of highs, sum of nulls, max of NDVs (no bit vectors), max of
    // the string lengths.
    sameStats("aggregated statistics", Arrays.asList(
        longStats("id", 5, 200, 3, 150),
        stringStats("name", 18, 6.5, 2, 45),
        doubleStats("amount", 0.75, 75.5, 4, 120)), aggr.getColStats());

    step("deleteTableColumnStatistics of one column");
    isTrue("deleteTableColumnStatistics result",
        generation.deleteTableColumnStatistics(client, db, events, "name"));
    sameStats("table statistics after deleting name", Arrays.asList(table.get(0), table.get(2)),
        generation.getTableColumnStatistics(client, db, events, columns));

    step("deletePartitionColumnStatistics of one column");
    isTrue("deletePartitionColumnStatistics result",
        generation.deletePartitionColumnStatistics(client, db, events, p1, "id"));
    parts = generation.getPartitionColumnStatistics(client, db, events, Arrays.asList(p1, p2),
        columns);
    sameStats("statistics of " + p1 + " after deleting id", Arrays.asList(part1.get(1),
        part1.get(2)), parts.get(p1));
    sameStats("statistics of " + p2 + " (unchanged)", part2, parts.get(p2));

    step("deleteTableColumnStatistics of all columns (null column name)");
    isTrue("deleteTableColumnStatistics result",
        generation.deleteTableColumnStatistics(client, db, events, null));
    sameStats("table statistics after deleting all", new ArrayList<>(),
        generation.getTableColumnStatistics(client, db, events, columns));
  }

  /**
   * Hive Metastore records in the parameter COLUMN_STATS_ACCURATE of a table or partition which
   * columns have statistics, whenever they are set; Hive's planner reads it (through
   * StatsSetupConst) to decide which column statistics it may use, and Hive 4's metastore to
   * decide which statistics get_table_req returns.
   */
  private void statsState() throws Exception {
    List<String> columns = Arrays.asList("id", "name", "amount");
    String p3 = "ds=2024-01-01/hr=3";

    step("updateTableColumnStatistics records the columns in the table's parameters");
    isTrue("updateTableColumnStatistics result", client.updateTableColumnStatistics(
        columnStatistics(null, longStats("id", 1, 1000, 0, 900),
            stringStats("name", 20, 7.5, 3, 50), doubleStats("amount", 0.5, 99.25, 1, 400))));
    Map<String, String> tableParams = client.getTable(db, events).getParameters();
    for (String column : columns) {
      isTrue("StatsSetupConst.areColumnStatsUptoDate(table parameters, " + column + ") with "
          + StatsSetupConst.COLUMN_STATS_ACCURATE + "="
          + tableParams.get(StatsSetupConst.COLUMN_STATS_ACCURATE),
          StatsSetupConst.areColumnStatsUptoDate(tableParams, column));
    }
    isTrue("no statistics recorded for column note: "
        + tableParams.get(StatsSetupConst.COLUMN_STATS_ACCURATE),
        !StatsSetupConst.areColumnStatsUptoDate(tableParams, "note"));

    step("updatePartitionColumnStatistics records the columns in the partition's parameters");
    isTrue("updatePartitionColumnStatistics result", client.updatePartitionColumnStatistics(
        columnStatistics(p3, longStats("id", 3, 30, 0, 20))));
    Map<String, String> partParams = client.getPartition(db, events, p3).getParameters();
    isTrue("StatsSetupConst.areColumnStatsUptoDate(parameters of " + p3 + ", id) with "
        + StatsSetupConst.COLUMN_STATS_ACCURATE + "="
        + partParams.get(StatsSetupConst.COLUMN_STATS_ACCURATE),
        StatsSetupConst.areColumnStatsUptoDate(partParams, "id"));
    isTrue("no statistics recorded for column name of " + p3,
        !StatsSetupConst.areColumnStatsUptoDate(partParams, "name"));
  }

  /** Hive 4's getTable(db, table, getColumnStats = true, engine): the table with its statistics. */
  private void tableWithStats() throws Exception {
    step("getTable with column statistics");
    List<ColumnStatisticsObj> expected = Arrays.asList(longStats("id", 2, 2000, 1, 800),
        stringStats("name", 30, 8.5, 2, 60), doubleStats("amount", 1.5, 49.5, 0, 300));
    isTrue("updateTableColumnStatistics result", client.updateTableColumnStatistics(
        columnStatistics(null, expected.toArray(new ColumnStatisticsObj[0]))));
    ColumnStatistics attached = generation.tableColStats(client, db, events, true);
    isTrue("the table carries column statistics (Table.colStats is set)", attached != null);
    equal("colStats table", events, attached.getStatsDesc().getTableName());
    isTrue("colStats are table-level", attached.getStatsDesc().isIsTblLevel());
    sameStats("colStats", expected, attached.getStatsObj());
    equal("colStats of getTable without getColumnStats", null,
        generation.tableColStats(client, db, events, false));
  }

  // ---------------------------------------------------------------------------------------------
  // functions

  private Function newFunction(String name, String className) {
    Function f = new Function();
    f.setDbName(db);
    f.setFunctionName(name);
    f.setClassName(className);
    f.setOwnerName("interop_owner");
    f.setOwnerType(PrincipalType.USER);
    f.setCreateTime((int) (System.currentTimeMillis() / 1000));
    f.setFunctionType(FunctionType.JAVA);
    f.setResourceUris(new ArrayList<>(Collections.singletonList(
        new ResourceUri(ResourceType.JAR, "file:" + scratch.resolve("udfs.jar")))));
    return f;
  }

  private void functions() throws Exception {
    String upper = prefix + "_upper";
    String lower = prefix + "_lower";

    step("createFunction (two)");
    client.createFunction(newFunction(upper, "org.example.udf.Upper"));
    client.createFunction(newFunction(lower, "org.example.udf.Lower"));

    step("createFunction in a missing database");
    Function orphan = newFunction(prefix + "_orphan", "org.example.udf.Orphan");
    orphan.setDbName(prefix + "_missing");
    raises("createFunction in a missing database", NoSuchObjectException.class,
        () -> client.createFunction(orphan));

    step("getFunction");
    Function got = client.getFunction(db, upper);
    equal("function name", upper, got.getFunctionName());
    equal("database", db, got.getDbName());
    equal("class name", "org.example.udf.Upper", got.getClassName());
    equal("owner name", "interop_owner", got.getOwnerName());
    equal("owner type", PrincipalType.USER, got.getOwnerType());
    equal("function type", FunctionType.JAVA, got.getFunctionType());
    equal("resource URIs", Collections.singletonList(
        new ResourceUri(ResourceType.JAR, "file:" + scratch.resolve("udfs.jar"))),
        got.getResourceUris());

    step("create an existing function again");
    raises("createFunction of an existing name", AlreadyExistsException.class,
        () -> client.createFunction(newFunction(upper, "org.example.udf.Other")));

    step("getFunctions by pattern");
    equal("getFunctions('" + prefix + "_*')", Arrays.asList(lower, upper),
        Check.sorted(client.getFunctions(db, prefix + "_*")));
    equal("getFunctions('" + prefix + "_up*')", Collections.singletonList(upper),
        client.getFunctions(db, prefix + "_up*"));

    step("getAllFunctions");
    List<String> all = new ArrayList<>();
    for (Function f : client.getAllFunctions().getFunctions()) {
      all.add(f.getDbName() + "." + f.getFunctionName());
    }
    contains("getAllFunctions", all, db + "." + upper);
    contains("getAllFunctions", all, db + "." + lower);

    step("dropFunction");
    client.dropFunction(db, upper);
    raises("getFunction of a dropped function", NoSuchObjectException.class,
        () -> client.getFunction(db, upper));
    equal("getFunctions after the drop", Collections.singletonList(lower),
        client.getFunctions(db, prefix + "_*"));
    client.dropFunction(db, lower);
    equal("getFunctions after dropping both", new ArrayList<String>(),
        client.getFunctions(db, prefix + "_*"));
  }

  // ---------------------------------------------------------------------------------------------
  // locks

  private LockRequest tableLock(LockType type) {
    LockComponent component = new LockComponent(type, LockLevel.TABLE, db);
    component.setTablename(events);
    return new LockRequest(new ArrayList<>(Collections.singletonList(component)), "interop",
        "interop-host");
  }

  private List<ShowLocksResponseElement> locksOfEvents() throws Exception {
    ShowLocksRequest request = new ShowLocksRequest();
    request.setDbname(db);
    request.setTablename(events);
    List<ShowLocksResponseElement> out = client.showLocks(request).getLocks();
    return out == null ? new ArrayList<>() : out;
  }

  private void locks() throws Exception {
    step("lock: EXCLUSIVE on the table");
    LockResponse exclusive = client.lock(tableLock(LockType.EXCLUSIVE));
    equal("state", LockState.ACQUIRED, exclusive.getState());
    isTrue("lock id > 0: " + exclusive.getLockid(), exclusive.getLockid() > 0);

    step("showLocks of the table");
    List<ShowLocksResponseElement> shown = locksOfEvents();
    equal("number of locks", 1, shown.size());
    ShowLocksResponseElement lock = shown.get(0);
    equal("lock id", exclusive.getLockid(), lock.getLockid());
    equal("state", LockState.ACQUIRED, lock.getState());
    equal("type", LockType.EXCLUSIVE, lock.getType());
    equal("database", db, lock.getDbname());
    equal("table", events, lock.getTablename());
    equal("user", "interop", lock.getUser());
    equal("hostname", "interop-host", lock.getHostname());

    step("heartbeat and showLocks without a filter");
    client.heartbeat(0, exclusive.getLockid());
    List<Long> allIds = new ArrayList<>();
    for (ShowLocksResponseElement element : client.showLocks().getLocks()) {
      allIds.add(element.getLockid());
    }
    isTrue("showLocks() lists lock " + exclusive.getLockid() + ": " + allIds,
        allIds.contains(exclusive.getLockid()));

    step("lock: SHARED_READ waits for the EXCLUSIVE lock");
    LockResponse reader = client.lock(tableLock(LockType.SHARED_READ));
    equal("state", LockState.WAITING, reader.getState());
    equal("checkLock state while the EXCLUSIVE lock is held", LockState.WAITING,
        client.checkLock(reader.getLockid()).getState());
    equal("number of locks shown", 2, locksOfEvents().size());

    step("unlock, then the waiting lock is granted");
    client.unlock(exclusive.getLockid());
    equal("checkLock state after unlock", LockState.ACQUIRED,
        client.checkLock(reader.getLockid()).getState());
    raises("checkLock of a released lock", NoSuchLockException.class,
        () -> client.checkLock(exclusive.getLockid()));
    raises("heartbeat of a released lock", NoSuchLockException.class,
        () -> client.heartbeat(0, exclusive.getLockid()));

    step("unlock the last lock");
    client.unlock(reader.getLockid());
    equal("locks of the table", 0, locksOfEvents().size());
  }

  // ---------------------------------------------------------------------------------------------
  // drop

  private void drop() throws Exception {
    step("dropTable of an external table keeps its data");
    client.dropTable(db, external, true, false);
    raises("getTable of the dropped table", NoSuchObjectException.class,
        () -> client.getTable(db, external));
    isTrue("external data " + externalDir.resolve("data.csv") + " kept",
        Files.isRegularFile(externalDir.resolve("data.csv")));

    step("dropTable of a managed table deletes its directory");
    Path plainDir = dbDir.resolve(plain);
    isTrue("directory " + plainDir + " exists before the drop", Files.isDirectory(plainDir));
    client.dropTable(db, plain, true, false);
    isTrue("directory " + plainDir + " deleted", !Files.exists(plainDir));
    List<String> left = client.getAllTables(db);
    lacks("getAllTables", left, plain);
    lacks("getAllTables", left, external);
    contains("getAllTables", left, events);

    step("dropTable of a missing table");
    raises("dropTable of a missing table", NoSuchObjectException.class,
        () -> client.dropTable(db, "missing", true, false));

    step("dropDatabase of a non-empty database without cascade");
    raises("dropDatabase without cascade", InvalidOperationException.class,
        () -> client.dropDatabase(db, true, false, false));
    equal("database still there", db, client.getDatabase(db).getName());

    step("dropDatabase cascade");
    client.dropDatabase(db, true, false, true);
    raises("getDatabase of the dropped database", NoSuchObjectException.class,
        () -> client.getDatabase(db));
    raises("getTable in the dropped database", NoSuchObjectException.class,
        () -> client.getTable(db, events));
    isTrue("database directory " + dbDir + " deleted", !Files.exists(dbDir));
    isTrue("external data " + externalDir.resolve("data.csv") + " kept",
        Files.isRegularFile(externalDir.resolve("data.csv")));

    step("dropDatabase cascade of the second database");
    client.dropDatabase(otherDb, true, false, true);
    lacks("getAllDatabases", client.getAllDatabases(), db);
    lacks("getAllDatabases", client.getAllDatabases(), otherDb);
    isTrue("directory of " + otherDb + " deleted",
        !Files.exists(warehouse.resolve(otherDb + ".db")));

    step("dropDatabase of a missing database");
    raises("dropDatabase of a missing database", NoSuchObjectException.class,
        () -> client.dropDatabase(db, true, false, true));
  }

  // ---------------------------------------------------------------------------------------------
  // helpers

  private static Map<String, String> map(String... keysAndValues) {
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      out.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return out;
  }

  private static boolean isNumber(String s) {
    try {
      Long.parseLong(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /**
   * The local path of a {@code file:} location ({@code file:/a}, {@code file:///a} or
   * {@code file://localhost/a}), without a trailing slash; a location of another scheme is
   * returned unchanged so that the comparison shows it.
   */
  static String localPath(String location) {
    if (location == null || !location.startsWith("file:")) {
      return location;
    }
    String path = location.substring("file:".length());
    if (path.startsWith("//localhost/")) {
      path = path.substring("//localhost".length());
    }
    while (path.startsWith("//")) {
      path = path.substring(1);
    }
    while (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return path;
  }
}
