"""Building and running the Hive Java client scenario: Apache Hive's own HiveMetaStoreClient, in
three generations from Maven Central, runs one scenario (src/) against an almanacd.

Each generation's classpath is resolved by Maven (pom.xml, profile hive-<generation>) and the
scenario is compiled with javac, once, into build/hive-java/<generation>; that directory is reused
until pom.xml, the sources or the JDK change. Maven's own cache is ~/.m2. Environment:
  HIVE_JAVA_BUILD  where the compiled scenarios go (default: build/hive-java)
  HIVE_JAVA_GENERATIONS  comma-separated generations to test (default: all)
"""

import hashlib
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
BUILD = Path(os.environ.get("HIVE_JAVA_BUILD", REPO / "build" / "hive-java"))

# Generation -> the Maven artifact that holds its HiveMetaStoreClient (documentation and reports;
# the versions themselves are in pom.xml).
GENERATIONS = {
    "2.3": "org.apache.hive:hive-metastore:2.3.10",
    "3.1": "org.apache.hive:hive-standalone-metastore:3.1.3",
    "4.0": "org.apache.hive:hive-standalone-metastore-common:4.0.1",
}
SECTIONS = ["databases", "tables", "rename", "partitions", "statistics", "stats_state",
            "table_with_stats", "functions", "locks",
            "drop"]

MAVEN_TIMEOUT = 1800  # a cold ~/.m2 downloads about 40 MB per generation
SCENARIO_TIMEOUT = 300

# The JVM of a scenario: a small heap, a fast start, and nothing written outside its own
# temporary directory.
JAVA_OPTIONS = ["-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData"]


def selected_generations():
    wanted = os.environ.get("HIVE_JAVA_GENERATIONS")
    if not wanted:
        return list(GENERATIONS)
    out = [g.strip() for g in wanted.split(",") if g.strip()]
    unknown = [g for g in out if g not in GENERATIONS]
    if unknown:
        raise pytest.UsageError(
            f"HIVE_JAVA_GENERATIONS: unknown {unknown}; known {list(GENERATIONS)}")
    return out


def _jdk(tool):
    """`tool` (java, javac) of $JAVA_HOME when it is set, as Maven uses, else from the PATH."""
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / tool).is_file():
        return str(Path(home) / "bin" / tool)
    return tool


# The source folders (under src/) compiled for each generation: the shared scenario, code shared
# by some generations (statistics calls without an engine; the standalone client's connection),
# and the generation's own adapter.
SOURCE_SETS = {
    "2.3": ["common", "pre-4.0", "hive-2.3"],
    "3.1": ["common", "pre-4.0", "standalone", "hive-3.1"],
    "4.0": ["common", "standalone", "hive-4.0"],
}


def _sources(generation):
    return [path for part in SOURCE_SETS[generation]
            for path in sorted((HERE / "src" / part).rglob("*.java"))]


def _run(args, timeout, what, **kwargs):
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=timeout, **kwargs)
    except FileNotFoundError as e:
        pytest.fail(f"{what}: {e.filename} not found (tests/interop/hive-java/run.sh installs "
                    f"Maven and a JDK)", pytrace=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{what} took more than {timeout}s", pytrace=False)
    if done.returncode != 0:
        pytest.fail(f"{what} failed (exit {done.returncode}):\n{done.stdout[-4000:]}\n"
                    f"{done.stderr[-4000:]}", pytrace=False)
    return done


def _java_version():
    done = _run([_jdk("javac"), "-version"], 60, "javac -version")
    return (done.stdout + done.stderr).strip()


@dataclass
class Build:
    generation: str
    classpath: str  # the compiled scenario first, then Hive's client and its dependencies


def build_generation(generation):
    """Resolves and compiles one generation, or reuses what an earlier run left in BUILD."""
    out = BUILD / generation
    digest = hashlib.sha256()
    digest.update(generation.encode())
    digest.update(_java_version().encode())
    for path in [HERE / "pom.xml", *_sources(generation)]:
        digest.update(str(path.relative_to(HERE)).encode())
        digest.update(path.read_bytes())
    stamp = out / "stamp"
    classpath_file = out / "classpath.txt"
    classes = out / "classes"
    if stamp.is_file() and stamp.read_text() == digest.hexdigest() and classpath_file.is_file():
        jars = classpath_file.read_text().strip()
        if all(Path(jar).is_file() for jar in jars.split(os.pathsep)):
            return Build(generation, f"{classes}{os.pathsep}{jars}")

    if out.exists():
        shutil.rmtree(out)
    classes.mkdir(parents=True)
    _run(["mvn", "-B", "-q", "-f", str(HERE / "pom.xml"), "-P", f"hive-{generation}",
          "dependency:build-classpath", f"-Dmdep.outputFile={classpath_file}"],
         MAVEN_TIMEOUT, f"Maven resolving Hive {generation} ({GENERATIONS[generation]})")
    jars = classpath_file.read_text().strip()
    _run([_jdk("javac"), "-nowarn", "-encoding", "UTF-8", "-d", str(classes), "-cp", jars,
          *map(str, _sources(generation))],
         300, f"javac of the Hive {generation} scenario")
    stamp.write_text(digest.hexdigest())
    return Build(generation, f"{classes}{os.pathsep}{jars}")


@dataclass
class ScenarioRun:
    """One run of the scenario: its sections' results and what almanacd served meanwhile."""
    generation: str
    returncode: int
    stdout: str
    stderr: str
    results: dict = field(default_factory=dict)  # section -> (PASS|FAIL|SKIP, message)
    requests: list = field(default_factory=list)  # almanacd's request log entries

    @property
    def methods(self):
        return {entry["method"] for entry in self.requests}

    def diagnostics(self):
        return (f"exit status {self.returncode}\n--- stdout (tail)\n{self.stdout[-3000:]}\n"
                f"--- stderr (tail)\n{self.stderr[-6000:]}")


def _text(output):
    """The output a timed-out subprocess.run left: bytes, str or None."""
    if isinstance(output, bytes):
        return output.decode(errors="replace")
    return output or ""


_RESULT = re.compile(r"^RESULT (\S+) (PASS|FAIL|SKIP)(?: (.*))?$")


def run_scenario(build, server, log, workdir):
    """Runs the scenario of one generation against `server`; names are prefixed hjNN."""
    prefix = "hj" + build.generation.replace(".", "")
    scratch = workdir / "scratch"
    java_tmp = workdir / "java-tmp"
    scratch.mkdir(parents=True)
    java_tmp.mkdir(parents=True)
    since = log.mark()
    try:
        done = subprocess.run(
            [_jdk("java"), *JAVA_OPTIONS, f"-Djava.io.tmpdir={java_tmp}", "-cp", build.classpath,
             "org.almanac.interop.hive.Scenario",
             "--uri", f"thrift://127.0.0.1:{server.port}", "--prefix", prefix,
             "--warehouse", str(server.warehouse), "--scratch", str(scratch)],
            capture_output=True, text=True, timeout=SCENARIO_TIMEOUT, cwd=workdir)
        returncode, stdout, stderr = done.returncode, done.stdout, done.stderr
    except subprocess.TimeoutExpired as e:
        returncode = "timeout"
        stdout = _text(e.stdout)
        stderr = _text(e.stderr) + f"\nthe scenario took more than {SCENARIO_TIMEOUT}s"
    run = ScenarioRun(build.generation, returncode, stdout, stderr,
                      requests=log.requests(since))
    for line in stdout.splitlines():
        match = _RESULT.match(line)
        if match:
            run.results[match.group(1)] = (match.group(2), match.group(3) or "")
    return run
