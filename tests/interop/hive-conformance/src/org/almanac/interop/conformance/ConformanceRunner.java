package org.almanac.interop.conformance;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.runner.Description;
import org.junit.runner.JUnitCore;
import org.junit.runner.Request;
import org.junit.runner.Result;
import org.junit.runner.manipulation.Filter;
import org.junit.runner.notification.Failure;
import org.junit.runner.notification.RunListener;

/**
 * Runs one of Hive's metastore client test classes (org.apache.hadoop.hive.metastore.client) in
 * its external-metastore mode only, and appends one line per test to a TSV file.
 *
 * <p>With the system property test.hms.client.configs set, Hive's MetaStoreFactoryForTests
 * returns three parameters: "Cluster" (the external metastore those configuration files name),
 * "Embedded" and "Remote". MetaStoreClientTest keeps the services of all three in its static
 * list metaStoreServices, and its @BeforeClass starts every one of them; "Remote" would start a
 * Derby-backed metastore inside this JVM. This runner keeps only the ClusterMetaStoreForTests
 * service in that list and runs only the tests of the "[Cluster]" parameter.
 *
 * <pre>java -Dtest.hms.client.configs=core-site.xml,hive-site.xml ... \
 *     org.almanac.interop.conformance.ConformanceRunner RESULTS.tsv TRACES.txt CLASS</pre>
 *
 * <p>RESULTS.tsv gets the columns class, test, outcome (passed, failed, error, skipped), time in
 * milliseconds, exception class, first line of its message, and the innermost cause as
 * "class: first line" when it differs. It is flushed after every test, so a JVM that dies leaves
 * the results so far. TRACES.txt gets the stack trace of every failure. The exit status is 0
 * when the class ran (whatever its tests did), 2 for a usage error.
 */
public final class ConformanceRunner {
  private static final String PARAMETER = "[Cluster]";
  private static final String BASE_CLASS =
      "org.apache.hadoop.hive.metastore.client.MetaStoreClientTest";
  private static final String CLUSTER_SERVICE =
      "org.apache.hadoop.hive.metastore.minihms.ClusterMetaStoreForTests";

  private ConformanceRunner() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: ConformanceRunner RESULTS.tsv TRACES.txt CLASS");
      System.exit(2);
    }
    Class<?> testClass = Class.forName(args[2]);
    try (Writer results = open(args[0]);
        PrintWriter traces = new PrintWriter(open(args[1]))) {
      // Building the runner calls the class's @Parameters method, which fills metaStoreServices.
      Request request = Request.aClass(testClass).filterWith(new ClusterOnly());
      request.getRunner();
      keepClusterServiceOnly();
      JUnitCore core = new JUnitCore();
      core.addListener(new TsvListener(testClass.getName(), results, traces));
      Result result = core.run(request);
      System.out.printf("%s: %d run, %d failed, %d ignored, %d assumption failures%n",
          testClass.getName(), result.getRunCount(), result.getFailureCount(),
          result.getIgnoreCount(), result.getAssumptionFailureCount());
    }
    System.exit(0);
  }

  private static Writer open(String path) throws IOException {
    return new OutputStreamWriter(new FileOutputStream(path, true), StandardCharsets.UTF_8);
  }

  /** Leaves only the external metastore in MetaStoreClientTest's list of services to start. */
  private static void keepClusterServiceOnly() throws ReflectiveOperationException {
    Field field = Class.forName(BASE_CLASS).getDeclaredField("metaStoreServices");
    field.setAccessible(true);
    List<?> services = (List<?>) field.get(null);
    if (services == null) {
      throw new IllegalStateException(BASE_CLASS + ".metaStoreServices was not filled");
    }
    List<Object> kept = new ArrayList<>();
    for (Object service : services) {
      if (service.getClass().getName().equals(CLUSTER_SERVICE)) {
        kept.add(service);
      }
    }
    if (kept.isEmpty()) {
      throw new IllegalStateException(
          "no external metastore among the test services; is test.hms.client.configs set?");
    }
    field.set(null, kept);
  }

  /** Keeps the tests of the "[Cluster]" parameter and the suites that contain them. */
  private static final class ClusterOnly extends Filter {
    @Override
    public boolean shouldRun(Description description) {
      if (description.isTest()) {
        return description.getDisplayName().contains(PARAMETER);
      }
      for (Description child : description.getChildren()) {
        if (shouldRun(child)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public String describe() {
      return "tests of the " + PARAMETER + " parameter";
    }
  }

  /** Writes one TSV line per finished test, and one for a failure outside any test. */
  private static final class TsvListener extends RunListener {
    private final String className;
    private final Writer results;
    private final PrintWriter traces;
    private final Set<Description> reported = new HashSet<>();
    private long started;

    TsvListener(String className, Writer results, PrintWriter traces) {
      this.className = className;
      this.results = results;
      this.traces = traces;
    }

    @Override
    public void testStarted(Description description) {
      started = System.nanoTime();
    }

    @Override
    public void testFailure(Failure failure) throws IOException {
      Throwable thrown = failure.getException();
      String outcome = thrown instanceof AssertionError ? "failed" : "error";
      report(failure.getDescription(), outcome, thrown);
      traces.printf("== %s%n%s%n", failure.getTestHeader(), failure.getTrace());
      traces.flush();
    }

    @Override
    public void testAssumptionFailure(Failure failure) {
      try {
        report(failure.getDescription(), "skipped", failure.getException());
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    }

    @Override
    public void testIgnored(Description description) throws IOException {
      report(description, "skipped", null);
    }

    @Override
    public void testFinished(Description description) throws IOException {
      report(description, "passed", null);
    }

    private void report(Description description, String outcome, Throwable thrown)
        throws IOException {
      if (!reported.add(description)) {
        return;  // testFinished follows testFailure; the first report counts
      }
      String test = description.getMethodName();
      if (test == null) {
        test = "(class)";  // @BeforeClass, @AfterClass or the runner itself
      }
      test = test.replace(PARAMETER, "");
      long millis = description.isTest() ? (System.nanoTime() - started) / 1_000_000 : 0;
      String type = "";
      String message = "";
      String cause = "";
      if (thrown != null) {
        type = thrown.getClass().getName();
        message = firstLine(thrown.getMessage());
        Throwable root = thrown;
        while (root.getCause() != null && root.getCause() != root) {
          root = root.getCause();
        }
        if (root != thrown) {
          cause = root.getClass().getName() + ": " + firstLine(root.getMessage());
        }
      }
      results.write(String.join("\t", className, test, outcome, Long.toString(millis), type,
          message, cause) + "\n");
      results.flush();
    }

    private static String firstLine(String text) {
      if (text == null) {
        return "";
      }
      String line = text.strip().split("\\R", 2)[0];
      line = line.replace('\t', ' ');
      return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
  }
}
