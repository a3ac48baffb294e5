"""The instructor guide's Zero to JupyterHub configuration and cluster sizing (chapters/instructor/class.md).

Every ``config.yaml`` block of the guide (a MyST ``{code-block} yaml`` captioned ``config.yaml``) is checked the
way the chart's own CI checks a values file (its ``tools/validate-against-schema.py``: ``jsonschema.validate``
against ``values.schema.yaml``), after merging it over the chart's defaults as helm does (``helm install -f
config.yaml`` validates the merged values against the schema): the chart's files are vendored, with its licence,
in ``tests/vendor/z2jh-4.4.0/`` (chart 4.4.0, JupyterHub 5.5.0). The schema lets ``hub.config`` (traitlets
configuration passed on to JupyterHub) through unchecked, so its keys are checked against the classes they
configure, as installed: a misspelt trait or a wrong value fails here too. The tests show each kind of typo
caught, so that they cannot pass by checking nothing.

The guide's Dockerfile runs the chart's JupyterHub version, and its sizing table is benchmarks/sizing.py's for
the load benchmark's last results (benchmarks/results/hub.json). Quick: no network, no cluster.
"""

from __future__ import annotations

import copy
import difflib
import doctest
import functools
import importlib
import json
import re
import subprocess
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from traitlets import TraitError
from traitlets.config import Config

from benchmarks import sizing
from conftest import ROOT

CHART = Path(__file__).parent / "vendor" / "z2jh-4.4.0"
GUIDE = ROOT / "chapters" / "instructor" / "class.md"
RESULTS = ROOT / "benchmarks" / "results" / "hub.json"

#: The traitlets classes a guide block configures (``hub.config.<Class>``, and the single-user server's
#: ``jupyter_server_config.json``), as installed: module and class.
TRAIT_CLASSES = {
    "JupyterHub": ("jupyterhub.app", "JupyterHub"),
    "Authenticator": ("jupyterhub.auth", "Authenticator"),
    "LTI13Authenticator": ("ltiauthenticator.lti13.auth", "LTI13Authenticator"),
    "MappingKernelManager": ("jupyter_server.services.kernels.kernelmanager", "MappingKernelManager"),
}


# --- reading YAML and the guide's blocks ---------------------------------------------------------------

class _UniqueKeys(yaml.SafeLoader):
    """PyYAML's safe loader, refusing a key given twice in one mapping (PyYAML would keep the last)."""


def _mapping(loader: _UniqueKeys, node: yaml.MappingNode) -> dict:
    loader.flatten_mapping(node)
    seen: dict = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"the key {key!r} is given twice",
                                                    key_node.start_mark)
        seen[key] = loader.construct_object(value_node, deep=True)
    return seen


_UniqueKeys.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def load_yaml(text: str) -> Any:
    """YAML as helm reads it, a key given twice refused."""
    return yaml.load(text, Loader=_UniqueKeys)  # noqa: S506 - a SafeLoader subclass


FENCE = re.compile(r"^(?P<indent>[ ]*)(?P<fence>`{3,})(?P<info>[^`\n]*)\n(?P<body>.*?)^(?P=indent)(?P=fence)[ ]*$",
                   re.M | re.S)


def code_blocks(text: str) -> Iterator[tuple[int, str, dict[str, str], str]]:
    """The fenced code blocks of a MyST page: (line, language, directive options, content), dedented."""
    for match in FENCE.finditer(text):
        indent, info = match["indent"], match["info"].strip()
        lines = [line[len(indent):] if line.startswith(indent) else line.lstrip()
                 for line in match["body"].splitlines()]
        language = info.split()[-1] if info else ""
        options: dict[str, str] = {}
        if info.startswith("{"):
            while lines and (option := re.match(r"^:([\w-]+):\s*(.*)$", lines[0])):
                options[option[1]] = option[2]
                lines.pop(0)
        line = text.count("\n", 0, match.start()) + 1
        yield line, language, options, "\n".join(lines).strip("\n") + "\n"


def guide_configs(text: str | None = None) -> list[tuple[int, dict]]:
    """The guide's ``config.yaml`` blocks: (line, values)."""
    text = GUIDE.read_text(encoding="utf-8") if text is None else text
    return [(line, load_yaml(body) or {}) for line, language, options, body in code_blocks(text)
            if language == "yaml" and options.get("caption") == "config.yaml"]


# --- what helm does: merge over the defaults, validate against the schema -------------------------------

@functools.cache
def chart_schema() -> dict:
    """The chart's values schema (read once: do not change it)."""
    return yaml.safe_load((CHART / "values.schema.yaml").read_text(encoding="utf-8"))


@functools.cache
def chart_defaults() -> dict:
    """The chart's values.yaml (read once: do not change it; helm_merge copies what it takes)."""
    return yaml.safe_load((CHART / "values.yaml").read_text(encoding="utf-8"))


@functools.cache
def _chart_validator():
    schema = chart_schema()
    return jsonschema.validators.validator_for(schema)(schema)


def helm_merge(user: Mapping, defaults: Mapping) -> dict:
    """``user`` values over the chart's ``defaults`` as helm coalesces them: maps merged key by key, a list or a
    scalar replaced whole, a ``null`` removing the default it names (a ``null`` for a key the chart has not is
    kept, as helm 3 keeps it: the schema then sees the key)."""
    merged = copy.deepcopy(dict(user))
    for key, default in defaults.items():
        if key not in user:
            merged[key] = copy.deepcopy(default)
        elif user[key] is None and default is not None:
            del merged[key]
        elif isinstance(user[key], Mapping) and isinstance(default, Mapping):
            merged[key] = helm_merge(user[key], default)
    return merged


def _dotted(path) -> str:
    return ".".join(str(part) for part in path) or "(top level)"


def schema_errors(values: Mapping, schema: Mapping | None = None) -> list[str]:
    """Each way ``values`` breaks the chart's schema, as ``path: the schema's message`` (an unknown key named by
    its own path, with the schema's nearest key)."""
    validator = _chart_validator() if schema is None else jsonschema.validators.validator_for(schema)(schema)
    errors = []
    for error in sorted(validator.iter_errors(values), key=lambda e: (list(map(str, e.absolute_path)), e.message)):
        path = list(error.absolute_path)
        if error.validator == "additionalProperties":
            allowed = list(error.schema.get("properties", {}))
            for key in sorted(set(error.instance) - set(allowed)):
                pattern_ok = any(re.search(p, key) for p in error.schema.get("patternProperties", {}))
                if pattern_ok:
                    continue
                near = difflib.get_close_matches(key, allowed, n=1)
                hint = f" (did you mean {near[0]!r}?)" if near else ""
                errors.append(f"{_dotted([*path, key])}: not a key of {_dotted(path)}{hint}; the schema says: "
                              f"{error.message}")
        else:
            errors.append(f"{_dotted(path)}: {error.message}")
    return errors


def _trait_class(name: str):
    module, attribute = TRAIT_CLASSES[name]
    return getattr(importlib.import_module(module), attribute)


def trait_errors(sections: Mapping[str, Any], where: str) -> list[str]:
    """Each key of traitlets ``sections`` ({class: {trait: value}}) that its class (as installed) has not, or
    whose value it refuses, as ``where.Class.trait: why``."""
    errors = []
    for name, section in sections.items():
        if name not in TRAIT_CLASSES:
            errors.append(f"{where}.{name}: a class this test does not know (known: {', '.join(TRAIT_CLASSES)}); "
                          "add it to TRAIT_CLASSES")
            continue
        cls = _trait_class(name)
        traits = cls.class_traits(config=True)
        unknown = [key for key in section if key not in traits]
        for key in unknown:
            near = difflib.get_close_matches(key, list(traits), n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            errors.append(f"{where}.{name}.{key}: not a configurable trait of {cls.__module__}.{name}{hint}")
        known = {key: value for key, value in section.items() if key not in unknown}
        try:
            instance = cls(config=Config({name: known}))
            for key in known:
                getattr(instance, key)  # traitlets validates a configured value when it is first read
        except TraitError as error:
            errors.append(f"{where}.{name}: {error}")
    return errors


def config_errors(values: Mapping) -> list[str]:
    """Everything wrong with a user's ``config.yaml`` values: the chart's schema on the values merged over its
    defaults, and the traitlets the chart passes on (``hub.config``; a ``jupyter_server_config.json`` mounted
    with ``singleuser.extraFiles``)."""
    errors = schema_errors(helm_merge(values, chart_defaults()))
    hub_config = (values.get("hub") or {}).get("config") or {}
    errors += trait_errors({k: v for k, v in hub_config.items() if isinstance(v, Mapping)}, "hub.config")
    for name, extra in ((values.get("singleuser") or {}).get("extraFiles") or {}).items():
        if isinstance(extra, Mapping) and str(extra.get("mountPath", "")).endswith("jupyter_server_config.json"):
            errors += trait_errors(extra.get("data") or {}, f"singleuser.extraFiles.{name}.data")
    return errors


def merge_blocks(blocks: list[dict]) -> dict:
    """The guide's blocks merged into one config.yaml, in order (a later block's value wins)."""
    merged: dict = {}
    for block in blocks:
        merged = helm_merge(block, merged)
    return merged


# --- the vendored chart -------------------------------------------------------------------------------

def test_the_vendored_chart_is_4_4_0_with_its_licence_and_its_defaults_pass_its_schema():
    chart = yaml.safe_load((CHART / "Chart.yaml").read_text(encoding="utf-8"))
    assert chart["name"] == "jupyterhub" and chart["appVersion"] == "5.5.0"
    readme = (CHART / "README.md").read_text(encoding="utf-8")
    assert "tag `4.4.0`" in readme and "JupyterHub 5.5.0" in readme and "zero-to-jupyterhub-k8s" in readme
    licence = (CHART / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("BSD 3-Clause License") and "Project Jupyter Contributors" in licence
    schema = chart_schema()
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    # the chart's CI validates its own values.yaml first; an empty config.yaml is valid only once merged
    assert schema_errors(chart_defaults()) == []
    assert schema_errors(helm_merge({}, chart_defaults())) == []
    assert any("'singleuser' is a required property" in e for e in schema_errors({}))


def test_helm_merge_merges_maps_and_replaces_lists_and_scalars():
    defaults = {"a": {"b": 1, "c": [1, 2], "d": {"e": 1}}, "f": 2, "g": 3}
    user = {"a": {"b": 5, "c": [9], "d": {"x": 0}}, "g": None, "new": None}
    assert helm_merge(user, defaults) == {"a": {"b": 5, "c": [9], "d": {"e": 1, "x": 0}}, "f": 2, "new": None}
    assert defaults == {"a": {"b": 1, "c": [1, 2], "d": {"e": 1}}, "f": 2, "g": 3}  # untouched


# --- the guide's config.yaml blocks ----------------------------------------------------------------------

def test_every_config_block_of_the_guide_passes_the_charts_schema():
    blocks = guide_configs()
    failures = {f"class.md line {line}": errors for line, values in blocks if (errors := config_errors(values))}
    assert not failures, "config.yaml blocks of class.md that Zero to JupyterHub 4.4.0 would refuse:\n" + "\n".join(
        f"{where}: {error}" for where, errors in failures.items() for error in errors)
    # what the guide sets, so that the test cannot pass by finding no block
    combined = merge_blocks([values for _, values in blocks])
    for path in ("singleuser.image.name", "singleuser.memory.guarantee", "singleuser.cpu.limit", "cull.timeout",
                 "cull.maxAge", "singleuser.storage.capacity", "hub.activeServerLimit", "singleuser.startTimeout",
                 "hub.config.LTI13Authenticator.issuer", "singleuser.extraFiles"):
        node: Any = combined
        for part in path.split("."):
            assert isinstance(node, Mapping) and part in node, f"no config.yaml block of class.md sets {path}"
            node = node[part]
    assert config_errors(combined) == [], "the guide's blocks merged into one config.yaml"


def test_every_yaml_block_that_sets_the_chart_is_captioned_config_yaml():
    """A block with the chart's keys but no caption would escape the check above."""
    top = set(chart_schema()["properties"])
    unmarked = [line for line, language, options, body in code_blocks(GUIDE.read_text(encoding="utf-8"))
                if language == "yaml" and options.get("caption") != "config.yaml"
                and isinstance(values := load_yaml(body), Mapping) and set(values) & top]
    assert not unmarked, f"class.md lines {unmarked}: yaml blocks with the chart's keys, not captioned config.yaml"


def test_the_block_reader_finds_captioned_blocks_only():
    text = ("1. a\n\n   ```{code-block} yaml\n   :caption: config.yaml\n\n   cull:\n     timeout: 60\n   ```\n\n"
            "```yaml\ncull:\n  every: 1\n```\n")
    assert guide_configs(text) == [(3, {"cull": {"timeout": 60}})]
    with pytest.raises(yaml.constructor.ConstructorError, match="'cull' is given twice"):
        load_yaml("cull:\n  timeout: 60\ncull:\n  every: 1\n")


TYPOS = [
    # (what is changed, path, value, what the error must say)
    ("a misspelt key", "singleuser.memroy", {"guarantee": "700M"},
     "singleuser.memroy: not a key of singleuser (did you mean 'memory'?); the schema says: Additional properties "
     "are not allowed ('memroy' was unexpected)"),
    ("a misspelt key", "cull.timeot", 3600, "cull.timeot: not a key of cull (did you mean 'timeout'?)"),
    ("a misspelt section", "singeluser", {"cpu": {"limit": 1}}, "singeluser: not a key of (top level) "
     "(did you mean 'singleuser'?)"),
    ("a string where a number goes", "cull.timeout", "one hour",
     "cull.timeout: 'one hour' is not of type 'integer', 'null'"),
    ("a string where a number goes", "singleuser.cpu.guarantee", "half", "singleuser.cpu.guarantee: 'half' is "
     "not of type 'number', 'null'"),
    ("a string where a number goes", "hub.activeServerLimit", "50", "hub.activeServerLimit: '50' is not of type"),
    ("a value not among the choices", "singleuser.storage.type", "dymanic",
     "singleuser.storage.type: 'dymanic' is not one of ['dynamic', 'static', 'none']"),
    ("a pass-through class in lower case", "hub.config.lTI13Authenticator", {"issuer": "https://x"},
     "hub.config.lTI13Authenticator: not a key of hub.config"),
    ("a misspelt trait", "hub.config.LTI13Authenticator.client_ids", ["a"],
     "hub.config.LTI13Authenticator.client_ids: not a configurable trait of ltiauthenticator.lti13.auth."
     "LTI13Authenticator (did you mean 'client_id'?)"),
    ("a tornado setting given as a trait", "hub.config.JupyterHub.cookie_options", {"samesite": "None"},
     "hub.config.JupyterHub.cookie_options: not a configurable trait of jupyterhub.app.JupyterHub"),
    ("a value the trait refuses", "hub.config.LTI13Authenticator.uri_scheme", "htps",
     "expected any of ['auto', 'https', 'http']"),
    ("an authenticator that cannot be imported", "hub.config.JupyterHub.authenticator_class",
     "ltiauthenticator.lti13.auth.LTI13Authenticatr", "could not be imported"),
    ("a kernel setting of the wrong type",
     "singleuser.extraFiles.cull-idle-kernels.data.MappingKernelManager.cull_idle_timeout", "half an hour",
     "singleuser.extraFiles.cull-idle-kernels.data.MappingKernelManager: The 'cull_idle_timeout' trait"),
]


@pytest.mark.parametrize(("what", "path", "value", "message"), TYPOS, ids=[t[1] for t in TYPOS])
def test_a_typo_in_the_guides_config_is_caught_and_named(what, path, value, message):
    """Each typo, made in the guide's own blocks merged into one config.yaml, is refused with its path."""
    values = merge_blocks([values for _, values in guide_configs()])
    assert config_errors(values) == []
    node = values
    *parents, last = path.split(".")
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value
    errors = config_errors(values)
    assert any(message in error for error in errors), f"{what}: {path} = {value!r} gave {errors}"


# --- the image: the chart's JupyterHub, nbgitpuller as tested, the prebuilt stores -----------------------

def _guide_words() -> str:
    """The guide's text with its line breaks and runs of spaces as single spaces (sentences wrap)."""
    return " ".join(GUIDE.read_text(encoding="utf-8").split())


def _dockerfile() -> str:
    blocks = code_blocks(GUIDE.read_text(encoding="utf-8"))
    found = [body for _, language, _, body in blocks if language == "dockerfile"]
    assert len(found) == 1, f"class.md should give one Dockerfile, found {len(found)}"
    return found[0]


def test_the_single_user_image_runs_the_charts_jupyterhub_and_the_tested_nbgitpuller():
    dockerfile = _dockerfile()
    pins = dict(re.findall(r"\b([\w-]+)==([\w.]+)", dockerfile))
    chart = yaml.safe_load((CHART / "Chart.yaml").read_text(encoding="utf-8"))
    hub_image = dict(re.findall(r"(?m)^([\w-]+)==([\w.]+)", (CHART / "hub-image-requirements.txt").read_text()))
    assert pins["jupyterhub"] == chart["appVersion"] == hub_image["jupyterhub"], (
        f"the guide's image pins jupyterhub=={pins['jupyterhub']}; chart 4.4.0 runs {chart['appVersion']}")
    assert f"Zero to JupyterHub 4.4.0 runs JupyterHub {chart['appVersion']}" in dockerfile
    assert f"version 4.4.0, which runs JupyterHub {chart['appVersion']}" in _guide_words()
    tested = dict(re.findall(r"(?m)^([\w-]+)==([\w.]+)", (ROOT / "requirements-dev.txt").read_text()))
    assert pins["nbgitpuller"] == tested["nbgitpuller"], "the image's nbgitpuller is not the one the hub tests run"


def test_the_image_builds_every_store_postbuild_builds():
    """A store the image lacks would be built by each student's first kernel (slower, and more memory)."""
    builds = re.findall(r"python -m ([\w.]+) --build", (ROOT / "postBuild").read_text())
    assert builds, "postBuild builds no store"
    missing = [module for module in builds if f"python -m {module} --build" not in _dockerfile()]
    assert not missing, f"the guide's Dockerfile does not build {missing} into THERAPYBRAIN_CACHE"


def test_the_charts_hub_image_has_the_lti_authenticator_the_guide_names():
    hub_image = dict(re.findall(r"(?m)^([\w-]+)==([\w.]+)", (CHART / "hub-image-requirements.txt").read_text()))
    version = hub_image["jupyterhub-ltiauthenticator"]
    text = _guide_words()
    assert f"already includes jupyterhub-ltiauthenticator {version}" in text
    installed = importlib.import_module("ltiauthenticator._version").__version__
    assert installed == version, f"the traits are checked against ltiauthenticator {installed}, the hub runs {version}"
    assert "{doc}`lti`" in text


def test_the_courses_files_fit_the_guides_storage_figure():
    """The guide says the course's files take less than 100 MB (against a volume's capacity)."""
    listing = subprocess.run(["git", "ls-tree", "-r", "-l", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout
    size = sum(int(line.split()[3]) for line in listing.splitlines() if line.split()[3] != "-")
    assert "The course's files take less than 100 MB" in _guide_words()
    assert size < 100 * 1024 * 1024, f"the course's files take {size / 2**20:.0f} MB: update class.md's storage"


def test_the_limits_follow_the_sizing_and_the_charts_defaults():
    blocks = merge_blocks([values for _, values in guide_configs()])
    rows = sizing.plan(json.loads(RESULTS.read_text())["quoted"])
    assert blocks["hub"]["activeServerLimit"] in {row.at_once for row in rows}
    defaults, words = chart_defaults(), _guide_words()
    spawn = defaults["hub"]["concurrentSpawnLimit"]
    assert spawn >= sizing.Assumptions().section, "the chart's spawn limit would hold back a section"
    assert f"time, {spawn}, lets a whole section start together" in words
    # what the guide says of the chart's defaults is the chart's
    assert all(blocks["cull"][key] == defaults["cull"][key] for key in ("timeout", "every"))
    assert "these are its defaults (`timeout`, `every`)" in words
    assert defaults["singleuser"]["storage"]["capacity"] == "10Gi" and "the chart's default is 10 GiB" in words
    assert f"longer than the default of {defaults['singleuser']['startTimeout']} seconds" in words
    assert blocks["singleuser"]["startTimeout"] > defaults["singleuser"]["startTimeout"]
    assert defaults["cull"]["users"] is False and "`cull.users` being false by default" in words
    assert defaults["scheduling"]["userPods"]["nodeAffinity"]["matchNodePurpose"] == "prefer"
    assert "`prefer` by default" in words


# --- the sizing table ---------------------------------------------------------------------------------------

def _quoted() -> dict[str, str]:
    return json.loads(RESULTS.read_text())["quoted"]


def test_the_guides_sizing_table_is_the_last_results():
    block = re.search(re.escape(sizing.BEGIN) + r"\n(.*?)" + re.escape(sizing.END), GUIDE.read_text(), re.S)
    assert block, f"class.md has no {sizing.BEGIN} block"
    assert block.group(1) == sizing.sizing_table(_quoted()), (
        "class.md's sizing table differs from the results file: run python -m benchmarks.sizing --update-guide")


def test_the_sizing_follows_from_the_results():
    quoted, assumptions = _quoted(), sizing.Assumptions()
    guarantee, cpu = int(quoted["guarantee_mb"]), float(quoted["cores_per_student_2x"])
    rows = sizing.plan(quoted, assumptions)
    assert [row.enrolled for row in rows] == [40, 200, 1000]
    for row in rows:
        assert min(row.enrolled, assumptions.section) <= row.at_once <= row.enrolled
        assert row.at_once >= assumptions.share * row.enrolled
        for nodes in row.nodes:
            # a node's students fit its cores (less the system's) and its memory (their guarantees and the system's)
            assert nodes.per_node * cpu + assumptions.system_cores <= nodes.cores + 1e-9
            assert (nodes.per_node + 1) * cpu + assumptions.system_cores > nodes.cores
            assert nodes.memory_gb * 1024 >= nodes.per_node * guarantee + assumptions.system_mb
            assert (nodes.memory_gb - 1) * 1024 < nodes.per_node * guarantee + assumptions.system_mb
            # enough nodes for the students at once, and not one more
            assert nodes.count * nodes.per_node >= row.at_once > (nodes.count - 1) * nodes.per_node
            assert nodes.count * (nodes.cores - assumptions.system_cores) >= row.at_once * cpu
    table = sizing.sizing_table(quoted)
    assert f"{cpu:g} of a core and a {guarantee} MB memory guarantee" in table
    assert f"guarantee ({guarantee} MB)" in table and f"limit ({quoted['limit_mb']} MB)" in table
    # other results, another table: nothing in it is typed
    heavier = dict(quoted, guarantee_mb=str(2 * guarantee), limit_mb=str(2 * int(quoted["limit_mb"])),
                   cores_per_student_2x=str(2 * cpu))
    assert sizing.sizing_table(heavier) != table
    # heavier students need at least as many nodes and as much memory in all (a node may hold fewer of them,
    # so each node's own memory may shrink)
    assert all(b.count >= a.count and b.count * b.memory_gb >= a.count * a.memory_gb
               for r, s in zip(rows, sizing.plan(heavier)) for a, b in zip(r.nodes, s.nodes))


@pytest.mark.parametrize(("quoted", "assumptions", "message"), [
    ({"guarantee_mb": "700", "limit_mb": "1200"}, {}, "lack cores_per_student_2x; the sizing needs guarantee_mb, "
                                                      "limit_mb, cores_per_student_2x"),
    ({"guarantee_mb": "700", "limit_mb": "1200", "cores_per_student_2x": "-"}, {}, "must be numbers"),
    ({"guarantee_mb": "700", "limit_mb": "600", "cores_per_student_2x": "0.5"}, {}, "a limit at least as large"),
    ({"guarantee_mb": "700", "limit_mb": "1200", "cores_per_student_2x": "3"}, {"node_cores": (2,)},
     "a node of 2 cores holds no student"),
    ({"guarantee_mb": "700", "limit_mb": "1200", "cores_per_student_2x": "0.5"}, {"share": 0},
     r"share must be a fraction in \(0, 1\]"),
    ({"guarantee_mb": "700", "limit_mb": "1200", "cores_per_student_2x": "0.5"}, {"node_cores": (0,)},
     "node_cores must be whole numbers of cores above system_cores"),
])
def test_the_sizing_names_what_is_wrong(quoted, assumptions, message):
    with pytest.raises(sizing.SizingError, match=message):
        sizing.sizing_table(quoted, sizing.Assumptions(**assumptions))


def test_the_sizing_replaces_exactly_one_block():
    assert sizing.replace_block(f"a\n{sizing.BEGIN}\nold\n{sizing.END}\n", "new\n") == \
        f"a\n{sizing.BEGIN}\nnew\n{sizing.END}\n"
    with pytest.raises(sizing.SizingError, match="has 0"):
        sizing.replace_block("no block", "new\n")


def test_the_sizing_module_documents_itself():
    """Its examples run, and its public names pass the course's numpydoc checks (tests/test_docs.py)."""
    from numpydoc.validate import validate
    from test_docs import CHECKS

    failed, _ = doctest.testmod(sizing, optionflags=doctest.ELLIPSIS)
    assert failed == 0
    problems = []
    for name in sizing.__all__:
        obj = getattr(sizing, name)
        members = [obj] + [m for k, m in vars(obj).items() if callable(m) and not k.startswith("_")] \
            if isinstance(obj, type) and not issubclass(obj, Exception) else [obj]
        for member in members:
            path = f"benchmarks.sizing.{member.__qualname__}"
            problems += [f"{path}: {code} {text}" for code, text in validate(path)["errors"] if code in CHECKS]
    assert not problems, "\n".join(problems)
