"""Fixtures of the Hive Java client tests; the work is in hive_java_support.py."""

import tempfile
from pathlib import Path

import pytest

from hive_java_support import build_generation, run_scenario


@pytest.fixture(scope="session")
def hive_java_runs(almanac, almanac_log, interop_tmp):
    """generation -> ScenarioRun, built and run on first use, once per session."""
    runs = {}

    def get(generation):
        if generation not in runs:
            try:
                build = build_generation(generation)
            except pytest.fail.Exception as e:  # fail every test of the generation, build once
                runs[generation] = str(e)
            else:
                workdir = Path(tempfile.mkdtemp(prefix=f"hive-{generation}-", dir=interop_tmp))
                runs[generation] = run_scenario(build, almanac, almanac_log, workdir)
        if isinstance(runs[generation], str):
            pytest.fail(runs[generation], pytrace=False)
        return runs[generation]

    return get
