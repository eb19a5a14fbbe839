#!/usr/bin/env python3
"""Hive Metastore conformance: Apache Hive's own metastore client tests against almanacd.

Hive 4.0.1 publishes the tests of its metastore server as a Maven artifact
(org.apache.hive:hive-standalone-metastore-server:4.0.1, classifier `tests`). The classes of its
package org.apache.hadoop.hive.metastore.client extend MetaStoreClientTest and run against an
external metastore when the system property `test.hms.client.configs` names Hadoop
configuration files (a hive-site.xml with `metastore.thrift.uris`). ConformanceRunner.java runs
one such class in that mode only; this script resolves and compiles it with Maven, then runs
every selected class against a fresh almanacd of its own and writes, under --out:

  results.tsv    one line per test: class, test, outcome, ms, exception, message, root cause
  summary.txt    counts, the causes of failures grouped, and the comparison with the baseline
  logs/          each class's JVM output, stack traces and almanacd log

Outcomes are passed, failed (an assertion), error (any other exception) and skipped. Tests
listed in not_applicable.tsv (no external metastore can pass them) are counted apart as n/a.
A test listed in the baseline (baseline.txt) that does not pass is a regression, and the exit
status is then 1; new passes are reported, and --update-baseline records them.

  conformance.py [--classes TestDatabases,TestFunctions] [--update-baseline] [--out DIR]
"""

import argparse
import collections
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
sys.path.insert(0, str(REPO / "tests" / "integration"))

from almanac_server import AlmanacServer  # noqa: E402

PACKAGE = "org.apache.hadoop.hive.metastore.client"
RUNNER = "org.almanac.interop.conformance.ConformanceRunner"
BASELINE = HERE / "baseline.txt"
NOT_APPLICABLE = HERE / "not_applicable.tsv"

MAVEN_TIMEOUT = 1800  # a cold ~/.m2 downloads about 120 MB
CLASS_TIMEOUT = 900
# Assertions on (-ea), as Maven Surefire runs Hive's own tests: some client checks are asserts.
JAVA_OPTIONS = ["-ea", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData"]
COLUMNS = ["class", "test", "outcome", "ms", "exception", "message", "cause"]


def jdk(tool):
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / tool).is_file():
        return str(Path(home) / "bin" / tool)
    return tool


def run(args, timeout, what, **kwargs):
    done = subprocess.run(args, capture_output=True, text=True, timeout=timeout, **kwargs)
    if done.returncode != 0:
        sys.exit(f"conformance: {what} failed (exit {done.returncode}):\n"
                 f"{done.stdout[-4000:]}\n{done.stderr[-4000:]}")
    return done


def build_runner(out):
    """The runner's classpath: compiled once into out/runner, reused until its inputs change."""
    sources = sorted((HERE / "src").rglob("*.java"))
    digest = hashlib.sha256()
    javac_version = run([jdk("javac"), "-version"], 60, "javac -version")
    digest.update((javac_version.stdout + javac_version.stderr).encode())
    for path in [HERE / "pom.xml", *sources]:
        digest.update(str(path.relative_to(HERE)).encode())
        digest.update(path.read_bytes())
    runner = out / "runner"
    stamp, classpath_file, classes = runner / "stamp", runner / "classpath.txt", runner / "classes"
    if stamp.is_file() and stamp.read_text() == digest.hexdigest():
        jars = classpath_file.read_text().strip()
        if all(Path(jar).is_file() for jar in jars.split(os.pathsep)):
            return f"{classes}{os.pathsep}{jars}"
    if runner.exists():
        shutil.rmtree(runner)
    classes.mkdir(parents=True)
    print("conformance: resolving Hive's tests with Maven", flush=True)
    run(["mvn", "-B", "-q", "-f", str(HERE / "pom.xml"), "dependency:build-classpath",
         f"-Dmdep.outputFile={classpath_file}"], MAVEN_TIMEOUT, "Maven")
    jars = classpath_file.read_text().strip()
    run([jdk("javac"), "-nowarn", "-encoding", "UTF-8", "-d", str(classes), "-cp", jars,
         *map(str, sources)], 300, "javac of the runner")
    stamp.write_text(digest.hexdigest())
    return f"{classes}{os.pathsep}{jars}"


def read_list(path):
    """Non-empty lines of a data file, without # comments."""
    if not path.is_file():
        return []
    lines = (line.split("#", 1)[0].rstrip() for line in path.read_text().splitlines())
    return [line for line in lines if line.strip()]


def not_applicable():
    """'Class.test' -> reason."""
    out = {}
    for line in read_list(NOT_APPLICABLE):
        cls, test, reason = (line.split("\t") + ["", ""])[:3]
        out[f"{cls}.{test}"] = reason
    return out


HIVE_SITE = """<?xml version="1.0"?>
<!-- The client side of the external metastore that Hive's tests run against. -->
<configuration>
  <property><name>metastore.thrift.uris</name><value>thrift://127.0.0.1:{port}</value></property>
  <property><name>metastore.warehouse.dir</name><value>file:{warehouse}</value></property>
</configuration>
"""


def server_flags(name, workdir):
    """The almanacd flags for one class: the metastore configuration Hive's tests run with."""
    # Hive's tests place catalogs, databases and tables under java.io.tmpdir as well as in the
    # warehouse (MetaStoreTestUtils.getTestWarehouseDir): the server may touch files there too.
    # MetaStoreFactoryForTests sets metastore.limit.partition.request to 100 for every class.
    flags = ["--allowed_roots", f"file:{workdir / 'tmp'}", "--partition_request_limit", "100"]
    if name == "TestDropPartitions":
        # The class turns on Hadoop's trash (fs.trash.interval) and looks for dropped data in
        # the local trash of user.home, which run_jvm points at workdir/home.
        flags += ["--trash_dir", f"file:{workdir / 'home' / '.Trash'}"]
    return flags


def run_class(name, classpath, logs):
    """Runs one test class against a fresh almanacd; returns its result rows."""
    workdir = Path(tempfile.mkdtemp(prefix=f"almanac-conformance-{name}-"))
    rows, problems = [], []
    server = AlmanacServer(workdir, *server_flags(name, workdir))
    try:
        server.start()
        rows = run_jvm(name, classpath, logs, workdir, server.port, server.warehouse, problems)
        if not server.alive():
            problems.append(f"almanacd exited with {server.process.returncode} during the class")
    except RuntimeError as e:  # almanacd did not start
        problems.append(str(e).splitlines()[0])
    finally:
        if server.alive():
            server.stop()
        else:
            server.kill()
        if server.log_path.is_file():
            shutil.copy(server.log_path, logs / f"{name}.almanacd.log")
        shutil.rmtree(workdir, ignore_errors=True)
    for problem in problems:
        rows.append(dict(zip(COLUMNS, [name, "(class)", "error", "0", "harness", problem, ""])))
    return rows


def run_jvm(name, classpath, logs, workdir, port, warehouse, problems):
    """Runs the class in a JVM of its own; returns the rows it wrote, appends to problems."""
    for sub in ("home", "tmp"):
        (workdir / sub).mkdir()
    site = workdir / "hive-site.xml"
    site.write_text(HIVE_SITE.format(port=port, warehouse=warehouse))
    results, traces = workdir / "results.tsv", logs / f"{name}.traces.txt"
    traces.unlink(missing_ok=True)
    args = [jdk("java"), *JAVA_OPTIONS,
            f"-Dtest.hms.client.configs={site}",
            f"-Dlog4j2.configurationFile={HERE / 'log4j2.properties'}",
            # Hadoop's local trash (under user.home) and every temporary file stay in workdir.
            f"-Duser.home={workdir / 'home'}", f"-Djava.io.tmpdir={workdir / 'tmp'}",
            f"-Dtest.tmp.dir={workdir / 'tmp'}",
            "-cp", classpath, RUNNER, str(results), str(traces), f"{PACKAGE}.{name}"]
    with open(logs / f"{name}.jvm.log", "w") as jvm_log:
        try:
            done = subprocess.run(args, stdout=jvm_log, stderr=subprocess.STDOUT,
                                  timeout=CLASS_TIMEOUT, cwd=workdir)
            if done.returncode != 0:
                problems.append(f"the test JVM exited with {done.returncode}")
        except subprocess.TimeoutExpired:
            problems.append(f"the class took more than {CLASS_TIMEOUT}s")
    rows = []
    if results.is_file():
        for line in results.read_text().splitlines():
            row = dict(zip(COLUMNS, (line.split("\t") + [""] * len(COLUMNS))[:len(COLUMNS)]))
            row["class"] = name  # without the package
            rows.append(row)
    return rows


UNKNOWN_METHOD = re.compile(r"Invalid method name: '([^']+)'")


NAME = re.compile(r"(?<![\w.])[\w§;]*(?:\.[\w§;]*)+")


def normalise(text):
    """A message without what varies from test to test: paths, numbers, names, value lists."""
    text = re.sub(r"(file:)?/[\w.=/+-]*", "<path>", text)
    text = re.sub(r"'[^']*'", "'<s>'", text)

    def name(match):
        # hive.db.table, db.table, hive..table: names of test objects. Not Java class names, and
        # not a word that ends a sentence.
        token = match.group(0)
        if token.startswith(("org.", "java.", "javax.")) or not re.search(r"\.[\w.§;]", token):
            return token
        return "<name>"

    text = NAME.sub(name, text)
    text = re.sub(r"\[[^\]]*\]", "[<values>]", text)
    text = re.sub(r"\d+", "N", text)
    return text.strip()[:160] or "(no message)"


def cause_of(row):
    """A failure's group: an unimplemented method, or the exception and normalised message."""
    for text in (row["message"], row["cause"]):
        match = UNKNOWN_METHOD.search(text)
        if match:
            return f"method not implemented: {match.group(1)}"
    message = row["message"]
    unexpected = re.match(r"Unexpected exception, expected<([\w.$]+)> but was<([\w.$]+)>",
                          message)
    if unexpected:
        short = lambda name: name.rsplit(".", 1)[-1]  # noqa: E731
        detail = row["cause"].split(": ", 1)[-1] if row["cause"] else ""
        return (f"expected {short(unexpected.group(1))}, got {short(unexpected.group(2))}: "
                f"{normalise(detail)}")
    if row["exception"] == "java.lang.AssertionError" and message.startswith("Expected exception:"):
        return f"no exception thrown; expected {message.rsplit('.', 1)[-1]}"
    exception = row["exception"].rsplit(".", 1)[-1]
    cut = re.search(r"\s*expected:?\s*<", message)
    if cut and "but was" in message:
        return f"{exception}: {normalise(message[:cut.start()])} (expected <x> but was <y>)"
    return f"{exception}: {normalise(message)}"


def describe_classes(counter):
    """'TestA 3, TestB 1' for the classes a cause was seen in."""
    return ", ".join(f"{name} {count}" for name, count in counter.most_common())


def summarise(rows, selected, elapsed):
    na = not_applicable()
    baseline = set(read_list(BASELINE))
    counts = collections.Counter()
    causes = collections.Counter()
    cause_classes = collections.defaultdict(collections.Counter)
    passed = set()
    na_rows = []
    for row in rows:
        key = f"{row['class']}.{row['test']}"
        if key in na:
            na_rows.append(row)
            continue
        counts[row["outcome"]] += 1
        if row["outcome"] == "passed":
            passed.add(key)
        elif row["outcome"] in ("failed", "error"):
            cause = cause_of(row)
            causes[cause] += 1
            cause_classes[cause][row["class"]] += 1
    ran = {f"{row['class']}.{row['test']}" for row in rows}
    expected = {key for key in baseline if key.split(".", 1)[0] in selected}
    regressions = sorted(expected - passed)
    new = sorted(passed - baseline)
    applicable = sum(counts.values())
    lines = [
        f"Hive metastore conformance: {len(selected)} classes, {elapsed:.0f}s",
        f"  tests {applicable + len(na_rows)}: not applicable {len(na_rows)} (of them passed "
        f"{sum(row['outcome'] == 'passed' for row in na_rows)})",
        f"  of the other {applicable}: passed {counts['passed']}, failed {counts['failed']}, "
        f"errors {counts['error']}, skipped {counts['skipped']}",
        f"  baseline: {len(expected)} expected to pass, {len(regressions)} regressions, "
        f"{len(new)} new passes",
        "",
        "Failures and errors by cause:",
    ]
    for cause, count in causes.most_common():
        lines.append(f"  {count:4d}  {cause}")
        lines.append(f"        in {describe_classes(cause_classes[cause])}")
    if regressions:
        lines += ["", "REGRESSIONS (in the baseline, not passing now):"]
        for key in regressions:
            lines.append(f"  {key}: " + ("did not run" if key not in ran else next(
                f"{r['outcome']}: {cause_of(r)}" for r in rows
                if f"{r['class']}.{r['test']}" == key)))
    if new:
        lines += ["", "New passes (not in the baseline; --update-baseline records them):"]
        lines += [f"  {key}" for key in new]
    return "\n".join(lines) + "\n", regressions, passed


def update_baseline(passed, selected):
    """Replaces the baseline entries of the classes that ran with the tests that passed."""
    kept = [key for key in read_list(BASELINE) if key.split(".", 1)[0] not in selected]
    entries = sorted(set(kept) | passed)
    BASELINE.write_text(
        "# Hive metastore client tests (Class.test) that pass against almanacd; written by\n"
        "# conformance.py --update-baseline. One of these failing fails the suite.\n"
        + "".join(f"{key}\n" for key in entries))


def read_results(path):
    lines = path.read_text().splitlines()[1:]  # after the header
    return [dict(zip(COLUMNS, (line.split("\t") + [""] * len(COLUMNS))[:len(COLUMNS)]))
            for line in lines]


def report_only(out):
    rows = read_results(out / "results.tsv")
    summary, regressions, _ = summarise(rows, {row["class"] for row in rows}, 0)
    print(summary, end="")
    return 1 if regressions else 0


def main():
    # SIGTERM unwinds like Ctrl-C: the running class's almanacd, JVM and directory are removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--classes", help="comma-separated class names, e.g. TestDatabases "
                        "(default: every test class of the package)")
    parser.add_argument("--out", default=str(REPO / "build" / "hive-conformance"))
    parser.add_argument("--update-baseline", action="store_true")
    parser.add_argument("--report-only", action="store_true",
                        help="summarise the results.tsv of the last run in --out; run nothing")
    options = parser.parse_args()

    out = Path(options.out).resolve()
    logs = out / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    if options.report_only:
        return report_only(out)
    classpath = build_runner(out)
    if options.classes:
        selected = [name.strip() for name in options.classes.split(",") if name.strip()]
    else:
        jar = next(Path(p) for p in classpath.split(os.pathsep) if p.endswith("-tests.jar"))
        with zipfile.ZipFile(jar) as tests_jar:
            listing = tests_jar.namelist()
        prefix = PACKAGE.replace(".", "/") + "/"
        selected = sorted(
            entry[len(prefix):-len(".class")] for entry in listing
            if entry.startswith(prefix + "Test") and entry.endswith(".class")
            and "$" not in entry and "/" not in entry[len(prefix):])

    start = time.monotonic()
    rows = []
    for name in selected:
        began = time.monotonic()
        class_rows = run_class(name, classpath, logs)
        rows += class_rows
        outcomes = collections.Counter(row["outcome"] for row in class_rows)
        print(f"conformance: {name}: {len(class_rows)} tests, {outcomes['passed']} passed, "
              f"{outcomes['failed']} failed, {outcomes['error']} errors, "
              f"{outcomes['skipped']} skipped ({time.monotonic() - began:.0f}s)", flush=True)
    elapsed = time.monotonic() - start

    with open(out / "results.tsv", "w") as results:
        results.write("\t".join(COLUMNS) + "\n")
        for row in rows:
            results.write("\t".join(row[column] for column in COLUMNS) + "\n")
    summary, regressions, passed = summarise(rows, set(selected), elapsed)
    (out / "summary.txt").write_text(summary)
    print(summary, end="")
    print(f"conformance: results in {out / 'results.tsv'}, summary in {out / 'summary.txt'}")
    if options.update_baseline:
        update_baseline(passed, set(selected))
        print(f"conformance: baseline updated ({BASELINE})")
        return 0
    return 1 if regressions else 0


if __name__ == "__main__":
    sys.exit(main())
