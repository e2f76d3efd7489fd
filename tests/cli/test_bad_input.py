"""Bad input, table-driven: every command and file format answers one line, exit code 2.

Each case is a command line (``{out}`` is an output path in a fresh folder, ``{f}`` the input
file the case writes there), the bytes of that input file if any, and a fragment of the one
error line. Every case must: exit 2, print exactly one line on stderr starting ``Error:``,
contain the fragment, print no traceback, and leave the folder as it found it (no output, no
temporary file). Every case fails before any long work starts, so the table runs in seconds.
"""

from __future__ import annotations

import codecs
import random
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from allegiance.cli.main import app

runner = CliRunner()

_rng = random.Random(16)
BINARY = bytes(_rng.randrange(256) for _ in range(3000))
DEEP = ("a = " + "[" * 5000 + "]" * 5000 + "\n").encode()
HUGE = b"# " + b"x" * (1024**2 + 10) + b"\n"

STUDY = """title = "A small study"
actors = { ROK = "South Korea", Japan = "Japan", China = "China" }
years = "1992-2010"

[[claims]]
id = "threat"
statement = "South Korea treats China as less of a threat than Japan does."
kind = "threat_comparison"
params = { subject = "ROK", other = "Japan", target = "China" }
"""
SCENARIO_CLAIM = """title = "A small study"
actors = { ROK = "South Korea", Japan = "Japan", China = "China" }
years = "1992-2010"

[[claims]]
id = "realign"
statement = "South Korea moves toward China as US weight falls."
kind = "scenario_alignment"
params = { subject = "ROK", toward = "China", away = "Japan", test = [TEST] DRAWS }
"""
SCENARIO = """name = "s"
description = "a test scenario"
base_year = 2010
actors = ["USA", "China", "South Korea", "Japan"]
size_source = "cinc"
propensity_source = "index"
n_blocs = 2
"""
SIGNALS = "date,patron,target,direction,kind,source_url\n1970-07-01,USA,ROK,-1,troops,https://x\n"


def study(old: str = "", new: str = "", text: str = STUDY) -> bytes:
    assert old in text
    return text.replace(old, new, 1).encode()


def scenario_claim(test: str = '"us_drawdown"', draws: str = "") -> bytes:
    return SCENARIO_CLAIM.replace("TEST", test).replace("DRAWS", draws).encode()


def scenario(old: str = "", new: str = "", extra: str = "") -> bytes:
    assert old in SCENARIO
    return (SCENARIO.replace(old, new, 1) + extra).encode()


@dataclass(frozen=True)
class Case:
    args: tuple[str, ...]
    fragment: str
    file: bytes | None = None
    suffix: str = ".toml"

    @property
    def command(self) -> str:
        words = [a for a in self.args if not a.startswith("-") and "{" not in a]
        return (
            " ".join(words[:2]) if words[0] in ("panel", "model", "scenario", "data") else words[0]
        )


def C(fragment: str, *args: str, file: bytes | None = None, suffix: str = ".toml") -> Case:
    return Case(tuple(args), fragment, file, suffix)


LONG = "x" * 100_000

# fmt: off
CASES = [
    # --- study: the file ---
    C("study file {f}: it does not exist", "study", "{f}", "--out", "{out}"),
    C("it is a binary file, not UTF-8 text", "study", "{f}", "--out", "{out}", file=BINARY),
    C("it is UTF-16 text; save it as UTF-8", "study", "{f}", "--out", "{out}",
      file=codecs.BOM_UTF16_LE + STUDY.encode("utf-16-le")),
    C("it is not UTF-8 text (byte 0xe9 on line 1)", "study", "{f}", "--out", "{out}",
      file=STUDY.replace("A small", "Une \xe9tude").encode("latin-1")),
    C("it nests 5000 levels deep; at most 32", "study", "{f}", "--out", "{out}", file=DEEP),
    C("it is larger than 1 MB", "study", "{f}", "--out", "{out}", file=HUGE),
    C("is not valid TOML", "study", "{f}", "--out", "{out}", file=b"title = \n"),
    C("unknown key", "study", "{f}", "--out", "{out}", file=study("title", "titel = 'x'\ntitle")),
    C("title: Field required", "study", "{f}", "--out", "{out}",
      file=study('title = "A small study"\n')),
    C("years must run from an earlier to a later year", "study", "{f}", "--out", "{out}",
      file=study("1992-2010", "2010-1992")),
    C("years must start in 1816 or later", "study", "{f}", "--out", "{out}",
      file=study("1992-2010", "1700-1750")),
    C("a study needs at least two actors", "study", "{f}", "--out", "{out}",
      file=study(', Japan = "Japan", China = "China" }', " }")),
    C("Unknown country 'Atlantis'", "study", "{f}", "--out", "{out}",
      file=study('China = "China"', 'China = "Atlantis"')),
    C("unknown claim kind 'threats'", "study", "{f}", "--out", "{out}",
      file=study('"threat_comparison"', '"threats"')),
    C("duplicate claim id 'threat'", "study", "{f}", "--out", "{out}",
      file=(STUDY + STUDY[STUDY.index("[[claims]]") :]).encode()),
    C("the kind 'threat_comparison' needs 'target'", "study", "{f}", "--out", "{out}",
      file=study(', target = "China"')),
    C("unknown parameter 'colour'", "study", "{f}", "--out", "{out}",
      file=study('target = "China"', 'target = "China", colour = "red"')),
    C("'test' must be an array", "study", "{f}", "--out", "{out}",
      file=SCENARIO_CLAIM.replace("[TEST]", '"us_drawdown"').replace("DRAWS", "").encode()),
    C("the threshold 'alpha' must be a finite number; got nan", "study", "{f}", "--out", "{out}",
      file=study('target = "China" }\n', 'target = "China" }\nthresholds = { alpha = nan }\n')),
    C("the threshold 'alpha' must be a finite number; got inf", "study", "{f}", "--out", "{out}",
      file=study('target = "China" }\n', 'target = "China" }\nthresholds = { alpha = inf }\n')),
    C("unknown threshold 'beta'", "study", "{f}", "--out", "{out}",
      file=study('target = "China" }\n', 'target = "China" }\nthresholds = { beta = 0.1 }\n')),
    C("departs from the kind's default", "study", "{f}", "--out", "{out}",
      file=study('target = "China" }\n', 'target = "China" }\nthresholds = { alpha = 0.1 }\n')),
    C("explains no threshold of this claim", "study", "{f}", "--out", "{out}",
      file=study('target = "China" }\n', 'target = "China" }\nwhy = { alpha = "because" }\n')),
    C("claims.0.params.draws: must be at most 100,000. Got 1000000000", "study", "{f}", "--out",
      "{out}", file=scenario_claim(draws=", draws = 1000000000")),
    C("claims.0.params.draws: must be a whole number from 1 to 100,000. Got 'many'", "study",
      "{f}", "--out", "{out}", file=scenario_claim(draws=", draws = 'many'")),
    C("must be a finite number. Got nan", "study", "{f}", "--out", "{out}",
      file=scenario_claim(draws=", draws = nan")),
    C("claims.0.params.seed: must be a whole number from 0 to 4294967295. Got -1", "study", "{f}",
      "--out", "{out}", file=scenario_claim(draws=", seed = -1")),
    C("is outside the folder of the file that names it", "study", "{f}", "--out", "{out}",
      file=scenario_claim(test='"../../etc/passwd"')),
    C("is outside the folder of the file that names it", "study", "{f}", "--out", "{out}",
      file=scenario_claim(test='"/etc/hostname"')),
    C("'test' must name files. Got 3", "study", "{f}", "--out", "{out}",
      file=scenario_claim(test="3")),
    # --- study: the output ---
    C("the folder exists and holds other files", "study", "{f}", "--out", "{dir}", file=study()),
    C("it is a file, not a folder", "study", "{f}", "--out", "{f}", file=study()),
    C("the folder", "study", "{f}", "--out", "{out}/deeper/report", file=study()),
    C("holds other files", "study", "{f}", "--out", "", file=study()),
    # --- scenario run: the file ---
    C("is neither a file nor a shipped scenario. Shipped: baseline", "scenario", "run", "nosuch",
      "--out", "{out}"),
    C("scenario file {f}: it does not exist", "scenario", "run", "{f}", "--out", "{out}"),
    C("it is a binary file", "scenario", "run", "{f}", "--out", "{out}", file=BINARY),
    C("it is UTF-16 text", "scenario", "run", "{f}", "--out", "{out}",
      file=codecs.BOM_UTF16_BE + SCENARIO.encode("utf-16-be")),
    C("it nests 5000 levels deep", "scenario", "run", "{f}", "--out", "{out}", file=DEEP),
    C("is not valid TOML", "scenario", "run", "{f}", "--out", "{out}", file=b"name = [\n"),
    C("unknown key 'colour'", "scenario", "run", "{f}", "--out", "{out}",
      file=scenario(extra='colour = "red"\n')),
    C("the key 'base_year' is required", "scenario", "run", "{f}", "--out", "{out}",
      file=scenario("base_year = 2010\n")),
    C("Input should be a finite number", "scenario", "run", "{f}", "--out", "{out}",
      file=scenario(extra="[[size_shock]]\nactor = 'USA'\nmultiply = nan\n")),
    C("Input should be a finite number", "scenario", "run", "{f}", "--out", "{out}",
      file=scenario(extra="[[size_shock]]\nactor = 'USA'\nmultiply = inf\n")),
    C("must be positive", "scenario", "run", "{f}", "--out", "{out}",
      file=scenario(extra="[[size_shock]]\nactor = 'USA'\nmultiply = -2\n")),
    C("Input should be a finite number", "scenario", "run", "{f}", "--out", "{out}",
      file=scenario(extra="[uncertainty]\nsize = { dist = 'lognormal', median = 1, sd = nan }\n")),
    C("Atlantis", "scenario", "run", "{f}", "--out", "{out}",
      file=scenario('"Japan"]', '"Atlantis"]')),
    # --- scenario run: the options ---
    C("'--draws' option must be a whole number from 1 to 100,000. Got 0", "scenario", "run",
      "baseline", "--draws", "0", "--out", "{out}"),
    C("'--draws' option must be a whole number from 1", "scenario", "run", "baseline", "--draws",
      "-5", "--out", "{out}"),
    C("'--draws' option must be at most 100,000. Got 1000000000. --lift-limits", "scenario",
      "run", "baseline", "--draws", "1000000000", "--out", "{out}"),
    C("'--draws' option must be at most 10,000,000", "scenario", "run", "baseline", "--draws",
      "1000000000", "--lift-limits", "--out", "{out}"),
    C("The '--draws' option must be a whole number.", "scenario", "run", "baseline", "--draws",
      "x", "--out", "{out}"),
    C("'--workers' option must be a whole number from 1", "scenario", "run", "baseline",
      "--workers", "0", "--out", "{out}"),
    C("'--workers' option must be at most", "scenario", "run", "baseline", "--workers", "500",
      "--out", "{out}"),
    C("'--seed' option must be a whole number from 0 to 4294967295. Got '-1'", "scenario", "run",
      "baseline", "--seed", "-1", "--out", "{out}"),
    C("'--seed' option must be a whole number", "scenario", "run", "baseline", "--seed",
      "4294967296", "--out", "{out}"),
    C("'--seed' option must be a whole number", "scenario", "run", "baseline", "--seed", "abc",
      "--out", "{out}"),
    C("'--scheduler' option must be a scheduler address like tcp://host:8786. Got 'not a url'",
      "scenario", "run", "baseline", "--scheduler", "not a url", "--out", "{out}"),
    C("'--scheduler' option must be a scheduler address", "scenario", "run", "baseline",
      "--scheduler", "tcp://host:99999", "--out", "{out}"),
    C("'--top' option must be a whole number from 1 to 10,000. Got -3", "scenario", "run",
      "baseline", "--top", "-3", "--out", "{out}"),
    C("'--top' option must be a whole number from 1", "scenario", "run", "baseline", "--top", "0",
      "--out", "{out}"),
    C("Missing option '--out'", "scenario", "run", "baseline"),
    C("it is a file, not a folder", "scenario", "run", "baseline", "--out", "{f}", file=b"x"),
    C("the folder exists and holds other files", "scenario", "run", "baseline", "--out", "{dir}"),
    C("holds other files", "scenario", "run", "baseline", "--out", ""),
    C("does not exist", "scenario", "run", "baseline", "--out", "{out}/a/b"),
    # --- model quasi ---
    C("signals file {f}: it does not exist", "model", "quasi", "--signals", "{f}", "--out",
      "{out}", suffix=".csv"),
    C("signals file {f}: it is a binary file", "model", "quasi", "--signals", "{f}", "--out",
      "{out}", file=BINARY, suffix=".csv"),
    C("it is UTF-16 text", "model", "quasi", "--signals", "{f}", "--out", "{out}",
      file=codecs.BOM_UTF16_LE + SIGNALS.encode("utf-16-le"), suffix=".csv"),
    C("it is a folder, not a file", "model", "quasi", "--signals", "{dir}", "--out", "{out}"),
    C("line 1: missing column(s) source_url", "model", "quasi", "--signals", "{f}", "--out",
      "{out}", file=SIGNALS.replace(",source_url", "").replace(",https://x", "").encode(),
      suffix=".csv"),
    C("line 2, column 'date'", "model", "quasi", "--signals", "{f}", "--out", "{out}",
      file=SIGNALS.replace("1970-07-01", "July 1970").encode(), suffix=".csv"),
    C("line 2, column 'direction'", "model", "quasi", "--signals", "{f}", "--out", "{out}",
      file=SIGNALS.replace(",-1,", ",2,").encode(), suffix=".csv"),
    C("line 2, column 'target'", "model", "quasi", "--signals", "{f}", "--out", "{out}",
      file=SIGNALS.replace(",ROK,", ",Atlantis,").encode(), suffix=".csv"),
    C("Unknown country 'Atlantis'", "model", "quasi", "--patron", "Atlantis", "--out", "{out}"),
    C("'--clients' option", "model", "quasi", "--clients", "732", "--out", "{out}"),
    C("'--clients' option", "model", "quasi", "--clients", "732,732", "--out", "{out}"),
    C("'--years' option must run from an earlier", "model", "quasi", "--years", "2014-1965",
      "--out", "{out}"),
    C("'--periods' option must lie within the years", "model", "quasi", "--periods", "1900-1910",
      "--out", "{out}"),
    C("'--periods' option must be comma-separated year ranges", "model", "quasi", "--periods",
      "sixties", "--out", "{out}"),
    C("'--window' option must be a whole number of months from 1 to 120. Got 0", "model", "quasi",
      "--window", "0", "--out", "{out}"),
    C("'--window' option must be a whole number of months from 1 to 120", "model", "quasi",
      "--window", "500", "--out", "{out}"),
    C("'--permutations' option must be a whole number from 1 to 100,000. Got -5", "model",
      "quasi", "--permutations", "-5", "--out", "{out}"),
    C("'--permutations' option must be at most 100,000", "model", "quasi", "--permutations",
      "1000000", "--out", "{out}"),
    C("'--seed' option must be a whole number", "model", "quasi", "--seed", "-1", "--out",
      "{out}"),
    C("the folder exists and holds other files", "model", "quasi", "--out", "{dir}"),
    # --- model expected ---
    C("'--estimator' option must be one of logit, gbm, both", "model", "expected", "--estimator",
      "forest", "--out", "{out}"),
    C("'--draws' option must be a whole number from 2 to 10,000. Got 1", "model", "expected",
      "--draws", "1", "--out", "{out}"),
    C("'--draws' option must be at most 10,000", "model", "expected", "--draws", "100000000",
      "--out", "{out}"),
    C("'--years' option must be a year range", "model", "expected", "--years", "19x6", "--out",
      "{out}"),
    C("'--split'", "model", "expected", "--split", "1800", "--out", "{out}"),
    C("Unknown outcome 'friendship'. Valid outcomes", "model", "expected", "--outcome",
      "friendship", "--out", "{out}"),
    C("'--dyad' option", "model", "expected", "--dyad", "732", "--out", "{out}"),
    C("Unknown country 'Atlantis'", "model", "expected", "--dyad", "732,Atlantis", "--out",
      "{out}"),
    C('cannot be parsed: "\'" is not allowed', "model", "expected", "--formula",
      "__import__('os').system('id')", "--out", "{out}"),
    C('cannot be parsed: "\'" is not allowed', "model", "expected", "--formula",
      "log_capdist + np._core._methods.os.system('touch pwned')", "--out", "{out}"),
    C("The formula 'lambda x: x' cannot be parsed", "model", "expected", "--formula",
      "lambda x: x", "--out", "{out}"),
    C("'no_such_column' is not a column of the design frame", "model", "expected", "--formula",
      "no_such_column", "--out", "{out}"),
    C("...' cannot be parsed: it is longer than 2000 characters", "model", "expected",
      "--formula", LONG, "--out", "{out}"),
    C("'--seed' option must be a whole number", "model", "expected", "--seed", "-1", "--out",
      "{out}"),
    C("the folder exists and holds other files", "model", "expected", "--out", "{dir}"),
    # --- panel ---
    C("'--states' option must name states by COW code or name", "panel", "states", "--states",
      ",,,", "--out", "{out}.csv"),
    C("Unknown country 'xxxxxxxx", "panel", "states", "--states", LONG, "--out", "{out}.csv"),
    C("'--states' option: 999 is not a state of the COW system", "panel", "states", "--states",
      "2,999", "--out", "{out}.csv"),
    C("'--years' option must run from an earlier", "panel", "states", "--years", "2016-1946",
      "--out", "{out}.csv"),
    C("'--years' option must be a year range", "panel", "states", "--years", "19x6", "--out",
      "{out}.csv"),
    C("must lie within", "panel", "states", "--years", "1700-1750", "--out", "{out}.csv"),
    C("Unknown variable family 'contiguityy'", "panel", "states", "--add", "contiguityy", "--out",
      "{out}.csv"),
    C("'--system' option must be one of cow, gw", "panel", "states", "--system", "xyz", "--out",
      "{out}.csv"),
    C("the output format must be .parquet or .csv. Got '.txt'", "panel", "states", "--out",
      "{out}.txt"),
    C("{dir}: the output format must be .parquet or .csv. Got 'none'", "panel", "states", "--out",
      "{dir}"),
    C("does not exist", "panel", "states", "--out", "{out}/a/b.csv"),
    C("the folder /proc is not writable", "panel", "states", "--out", "/proc/panel.csv"),
    C("the folder /proc is not writable", "scenario", "run", "baseline", "--out", "/proc/run"),
    C("the folder /proc is not writable", "study", "--out", "/proc/report"),
    C("'--states' option must name states", "panel", "dyads", "--states", ",,,", "--out",
      "{out}.csv"),
    C("Unknown variable family", "panel", "dyads", "--add", "alliance;rm -rf /", "--out",
      "{out}.csv"),
    C("the output format must be .parquet or .csv", "panel", "dyads", "--out", "{out}.json"),
    C("Missing option '--out'", "panel", "dyads"),
    # --- measure ---
    C("Unknown measure 'kappaa'", "measure", "kappaa", "--years", "1990-1991", "--out",
      "{out}.csv"),
    C("Missing option '--years'", "measure", "kappa", "--out", "{out}.csv"),
    C("'--years' option must run from an earlier", "measure", "kappa", "--years", "1991-1990",
      "--out", "{out}.csv"),
    C("'--dyads' option", "measure", "kappa", "--years", "1990-1991", "--dyads", "732", "--out",
      "{out}.csv"),
    C("'--dyads' option", "measure", "kappa", "--years", "1990-1991", "--dyads", ",,,", "--out",
      "{out}.csv"),
    C("'--states' option", "measure", "kappa", "--years", "1990-1991", "--states", ",,,", "--out",
      "{out}.csv"),
    C("option", "measure", "kappa", "--years", "1990-1991", "--option", "colour=red", "--out",
      "{out}.csv"),
    C("key=value", "measure", "kappa", "--years", "1990-1991", "--option", "colour", "--out",
      "{out}.csv"),
    C("'--unit'", "measure", "kappa", "--years", "1990-1991", "--unit", "decade", "--out",
      "{out}.csv"),
    C("the output format must be .parquet or .csv", "measure", "kappa", "--years", "1990-1991",
      "--out", "{out}.xlsx"),
    # --- landscape ---
    C("{f}: it does not exist", "landscape", "--sizes", "{f}", "--propensities", "{f}", "--out",
      "{out}.json", suffix=".csv"),
    C("it is a binary file", "landscape", "--sizes", "{f}", "--propensities", "{f}", "--out",
      "{out}.json", file=BINARY, suffix=".csv"),
    C("it is UTF-16 text", "landscape", "--sizes", "{f}", "--propensities", "{f}", "--out",
      "{out}.json", file=codecs.BOM_UTF16_LE + "actor,size\n".encode("utf-16-le"), suffix=".csv"),
    C("needs the columns actor, size; missing size", "landscape", "--sizes", "{f}",
      "--propensities", "{f}", "--out", "{out}.json", file=b"actor,weight\nA,1\n", suffix=".csv"),
    C("every size must be a positive finite number; B has inf", "landscape", "--sizes", "{f}",
      "--propensities", "{f}", "--out", "{out}.json", file=b"actor,size\nA,1\nB,inf\n",
      suffix=".csv"),
    C("every size must be a positive finite number; B has nan", "landscape", "--sizes", "{f}",
      "--propensities", "{f}", "--out", "{out}.json", file=b"actor,size\nA,1\nB,NaN\n",
      suffix=".csv"),
    C("every size must be a positive finite number; B has -1.0", "landscape", "--sizes", "{f}",
      "--propensities", "{f}", "--out", "{out}.json", file=b"actor,size\nA,1\nB,-1\n",
      suffix=".csv"),
    C("the column 'size' must hold numbers", "landscape", "--sizes", "{f}", "--propensities",
      "{f}", "--out", "{out}.json", file=b"actor,size\nA,1\nB,big\n", suffix=".csv"),
    C("'--blocs'", "landscape", "--year", "2010", "--states", "2,710,732,740", "--blocs", "1",
      "--out", "{out}.json"),
    C("'--temperature'", "landscape", "--year", "2010", "--states", "2,710,732,740",
      "--temperature", "nan", "--out", "{out}.json"),
    C("'--temperature'", "landscape", "--year", "2010", "--states", "2,710,732,740",
      "--temperature", "-1", "--out", "{out}.json"),
    C("'--starts'", "landscape", "--year", "2010", "--states", "2,710,732,740", "--starts", "0",
      "--out", "{out}.json"),
    C("'--method'", "landscape", "--year", "2010", "--states", "2,710,732,740", "--method",
      "magic", "--out", "{out}.json"),
    C("'--year'", "landscape", "--year", "1700", "--states", "2,710,732,740", "--out",
      "{out}.json"),
    C("Unknown country 'Atlantis'", "landscape", "--year", "2010", "--states", "2,Atlantis",
      "--out", "{out}.json"),
    C("'--size'", "landscape", "--year", "2010", "--states", "2,710,732,740", "--size", "gdp",
      "--out", "{out}.json"),
    C("'--propensity'", "landscape", "--year", "2010", "--states", "2,710,732,740",
      "--propensity", "love", "--out", "{out}.json"),
    C("'--fix'", "landscape", "--year", "2010", "--states", "2,710,732,740", "--fix", "USA",
      "--out", "{out}.json"),
    C("the output format must be .json", "landscape", "--year", "2010", "--states",
      "2,710,732,740", "--out", "{out}.csv"),
    # --- balance ---
    C("The year of a signed network must lie within", "balance", "--year", "1700", "--states",
      "2,365,710", "--out", "{out}.json"),
    C("Unknown country 'Atlantis'", "balance", "--year", "2010", "--states", "2,Atlantis",
      "--out", "{out}.json"),
    C("'--states'", "balance", "--year", "2010", "--states", "2", "--out", "{out}.json"),
    C("'--mixed'", "balance", "--year", "2010", "--states", "2,365,710", "--mixed", "maybe",
      "--out", "{out}.json"),
    C("'--method'", "balance", "--year", "2010", "--states", "2,365,710", "--method", "magic",
      "--out", "{out}.json"),
    C("the output format must be .json", "balance", "--year", "2010", "--states", "2,365,710",
      "--out", "{out}.txt"),
    # --- codes, overview, data ---
    C("Unknown country 'Atlantis'", "codes", "Atlantis"),
    C("Country 'Korea' is ambiguous", "codes", "Korea"),
    C("Unknown country 'xxxxxxxxxx", "codes", LONG),
    C("The '--system' option must be one of {'cow', 'gw'}", "codes", "2", "--system", "xyz"),
    C("'--years' option must be a year range", "overview", "--years", "19x6"),
    C("Unknown dataset 'atopp'", "data", "cite", "atopp"),
    C("The raw folder", "data", "build", "--raw", "{out}", "--out", "{dir}"),
    C("Unknown dataset 'atopp'", "data", "fetch", "atopp", "--cache", "{dir}"),
    # --- usage errors ---
    C("No such command 'sutdy'", "sutdy"),
    C("No such option: --colour", "study", "--colour", "red"),
    C("The '--jobs' option must be at least 1. Got 0.", "study", "--out", "{out}", "--jobs", "0"),
    C("The '--jobs' option (or ALLEGIANCE_JOBS) must be a whole number.", "study", "--out",
      "{out}", "--jobs", "two"),
]
# fmt: on


def _ids(case: Case) -> str:
    return f"{case.command}: {case.fragment[:60]}"


@pytest.mark.parametrize("case", CASES, ids=[_ids(c) for c in CASES])
def test_bad_input_is_one_line_exit_2_and_leaves_nothing(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / "notes.txt").write_text("someone else's file\n")
    f = tmp_path / f"input{case.suffix}"
    if case.file is not None:
        f.write_bytes(case.file)
    places = {"{f}": str(f), "{out}": str(tmp_path / "out"), "{dir}": str(tmp_path / "dir")}
    args = [_fill(a, places) for a in case.args]
    before = _listing(tmp_path)
    result = runner.invoke(app, args)
    err = result.stderr
    assert result.exit_code == 2, (result.exit_code, err, result.stdout[-500:])
    assert err.startswith("Error: ") and err.count("\n") == 1, err
    assert _fill(case.fragment, places) in err, err
    assert "Traceback" not in result.stdout + err
    assert len(err) < 1000, len(err)  # a pasted input is never echoed whole
    assert _listing(tmp_path) == before


def _fill(text: str, places: dict[str, str]) -> str:
    for key, value in places.items():
        text = text.replace(key, value)
    return text


def _listing(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


def test_every_command_has_bad_input_cases() -> None:
    """The table covers every command that takes input (``serve`` is covered by its own
    tests: its options are checked by the parser before anything starts)."""
    commands = {c.command for c in CASES}
    expected = {
        "study", "scenario run", "model quasi", "model expected", "panel states",
        "panel dyads", "measure", "landscape", "balance", "codes", "overview", "data cite",
        "data build", "data fetch",
    }  # fmt: skip
    assert expected <= commands


def count_by_command() -> dict[str, int]:
    """Cases per command (the figure the issue's note reports)."""
    counts: dict[str, int] = {}
    for case in CASES:
        counts[case.command] = counts.get(case.command, 0) + 1
    return dict(sorted(counts.items()))


if __name__ == "__main__":
    for command, n in count_by_command().items():
        print(f"{command:16} {n:4}")
    print(f"{'all':16} {len(CASES):4}")
