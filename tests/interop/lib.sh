# Shared setup of the interop suites' run.sh scripts. Source it from a run.sh:
#
#   source "$(dirname "$0")/../lib.sh"     # also cd's to the repository root
#   interop_almanacd                       # ALMANACD and ALMANAC_PY_GEN, exported
#   interop_venv build/venv-x tests/interop/requirements-x.txt   # sets $venv_python
#   interop_java [MIN]                     # a Java runtime (of at least MIN) for PySpark/Java
#   interop_maven                          # Maven (and a JDK) on the PATH
#
# Every dependency is installed on demand: Debian packages with apt, Python packages into a
# virtual environment under build/ that is reused until its requirements file changes.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"

interop_apt_install() {
  local sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  echo "interop: installing $*"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@"
}

# ALMANACD defaults to build/server/almanacd (built by scripts/build.sh when missing). The
# project's generated Python client is taken from the same build directory unless
# ALMANAC_PY_GEN names one.
interop_almanacd() {
  if [[ -z ${ALMANACD:-} ]]; then
    ALMANACD="$repo/build/server/almanacd"
    if [[ ! -x $ALMANACD ]]; then scripts/build.sh; fi
  fi
  if [[ ! -x $ALMANACD ]]; then
    echo "interop: ALMANACD=$ALMANACD is not an executable" >&2
    exit 2
  fi
  ALMANACD="$(realpath "$ALMANACD")"
  local build_dir
  build_dir="$(dirname "$(dirname "$ALMANACD")")"  # <build>/server/almanacd
  ALMANAC_PY_GEN="${ALMANAC_PY_GEN:-$build_dir/thrift/gen-py}"
  if [[ ! -d $ALMANAC_PY_GEN/almanac_thrift ]]; then
    if [[ -f $build_dir/CMakeCache.txt ]]; then
      cmake --build "$build_dir" --target almanac_thrift_py
    else
      echo "interop: no Python Thrift client at $ALMANAC_PY_GEN; set ALMANAC_PY_GEN" >&2
      exit 2
    fi
  fi
  export ALMANACD ALMANAC_PY_GEN
}

# interop_venv DIR REQUIREMENTS: a virtual environment with exactly those pins; sets venv_python.
interop_venv() {
  local venv="$1" requirements="$2"
  # Debian's python3 has no venv module (ensurepip) until python3-venv is installed.
  if ! command -v python3 >/dev/null || ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
    interop_apt_install python3 python3-venv
  fi
  local stamp="$venv/.requirements.sha256" wanted
  wanted="$(sha256sum "$requirements" | cut -d' ' -f1)"
  if [[ ! -x $venv/bin/python || ! -f $stamp || $(cat "$stamp") != "$wanted" ]]; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check -r "$requirements"
    echo "$wanted" >"$stamp"
  fi
  venv_python="$repo/$venv/bin/python"
}

# The feature version (8, 11, 17, ...) of the Java that PySpark and our scripts launch:
# $JAVA_HOME/bin/java if JAVA_HOME is set, else java on the PATH; 0 if there is none.
interop_java_version() {
  local java="java" spec
  if [[ -n ${JAVA_HOME:-} ]]; then java="$JAVA_HOME/bin/java"; fi
  spec="$("$java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = //p')" || true
  spec="${spec#1.}"  # Java 8 says 1.8.
  echo "${spec:-0}"
}

# interop_java [MIN]: makes sure that Java is at least MIN (default 8); otherwise installs
# Debian's OpenJDK 17 and points JAVA_HOME at it.
interop_java() {
  local min="${1:-8}" java17
  if [[ -z ${JAVA_HOME:-} ]] && ! command -v java >/dev/null 2>&1; then
    interop_apt_install openjdk-17-jre-headless
  fi
  if (($(interop_java_version) < min)); then
    interop_apt_install openjdk-17-jre-headless
    java17="$(ls /usr/lib/jvm/java-17-openjdk-*/bin/java | head -n 1)"
    JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$java17")")")"
    export JAVA_HOME
  fi
}

interop_maven() {
  local missing=()
  command -v javac >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
  command -v mvn >/dev/null 2>&1 || missing+=(maven)
  if ((${#missing[@]})); then interop_apt_install "${missing[@]}"; fi
}
