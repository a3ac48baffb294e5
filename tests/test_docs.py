"""Every public function and class passes numpydoc's own validation (numpydoc.validate) of what the course
requires: every parameter documented, no documented parameter it does not take, Returns, Raises and Examples;
shared parameter texts come from therapybrain._docs.docdict, filled in by fill_doc."""

import dataclasses
import inspect
import re

import pytest
from numpydoc.docscrape import get_doc_object
from numpydoc.validate import ERROR_MSGS, validate

import therapybrain as tb
from therapybrain._docs import docdict, fill_doc
from therapybrain.simulations import headlines, learning, morphometry, prediction

SIMULATIONS = (headlines, learning, morphometry, prediction)

#: numpydoc.validate's checks that every public object must pass (its error codes). What the course requires:
#: a docstring (GL08), every parameter documented (PR01), with its type (PR04), in order (PR03), none it does not
#: take (PR02), a Returns section when the function returns a value (RT01; a generator: Yields, YD01), an Examples
#: section (EX01); and the structure numpydoc and Sphinx parse (GL01-GL03, GL05, GL06 (known sections only),
#: GL10, SS01, PR10). Not required: an extended summary (ES01), See Also (SA01-SA04) and numpydoc's stylistic
#: choices (a summary in the infinitive, SS05; capitals and full stops of descriptions, PR08/PR09, RT04/RT05...).
CHECKS = {"GL01", "GL02", "GL03", "GL05", "GL06", "GL08", "GL10", "SS01", "PR01", "PR02", "PR03", "PR04", "PR10",
          "RT01", "YD01", "EX01"}


def _public_objects():
    """(dotted name, object) for tb.__all__ and the simulations' __all__, classes' public methods included."""
    seen = []
    sources = [("therapybrain", tb, tb.__all__)] + [(m.__name__, m, m.__all__) for m in SIMULATIONS]
    sources.append(("therapybrain.resting", tb.resting, [n for n in tb.resting.__all__ if n not in tb.__all__]))
    for prefix, module, names in sources:
        for name in names:
            obj = getattr(module, name)
            if inspect.isfunction(obj):
                seen.append((f"{prefix}.{name}", obj))
            elif inspect.isclass(obj) and obj.__module__.startswith("therapybrain"):
                seen.append((f"{prefix}.{name}", obj))
                for attr, member in vars(obj).items():
                    if inspect.isfunction(member) and not attr.startswith("_"):
                        seen.append((f"{prefix}.{name}.{attr}", member))
    return seen


def _parameters(function) -> list[str]:
    return [name for name in inspect.signature(function).parameters if name not in ("self", "cls")]


def _documented(entries) -> set[str]:
    """The names numpydoc read from a Parameters or Attributes section (``a, b : type`` gives a and b)."""
    return {part.strip().lstrip("*") for entry in entries for part in entry.name.split(",")}


CALLABLES = _public_objects()


def test_the_walk_finds_the_simulations_and_the_core():
    names = {name for name, _ in CALLABLES}
    assert {"therapybrain.region_mask", "therapybrain.load_atlas", "therapybrain.Atlas.label_map",
            "therapybrain.simulations.learning.simulate_synapse", "therapybrain.simulations.headlines.find_regions",
            "therapybrain.simulations.morphometry.plot_simulated_tmap", "therapybrain.view_3d",
            "therapybrain.network_hub", "therapybrain.Brain3DView.get_iframe",
            "therapybrain.RegionExplorer.move_to"} <= names
    assert len(names) > 50


def test_the_checks_are_numpydocs():
    assert CHECKS <= set(ERROR_MSGS)


@pytest.mark.parametrize(
    ("name", "obj"),
    [pytest.param(name, obj, id=name) for name, obj in CALLABLES],
)
def test_every_parameter_is_documented(name, obj):
    """numpydoc.validate's CHECKS (a dataclass's fields are its Attributes, not Parameters); a Raises section for
    every function that takes parameters; Returns for one annotated to return a value."""
    doc = obj.__doc__
    assert doc, f"{name} has no docstring"
    assert "%(" not in doc, f"{name}: a docdict placeholder was not filled (is it decorated with @fill_doc?)"
    checks = CHECKS - {"PR01", "PR02", "PR03"} if dataclasses.is_dataclass(obj) else CHECKS
    errors = [f"{code}: {message}" for code, message in validate(name)["errors"] if code in checks]
    assert not errors, f"{name}:\n" + "\n".join(errors)
    parsed = get_doc_object(obj)
    if dataclasses.is_dataclass(obj):
        fields = {f.name for f in dataclasses.fields(obj) if not f.name.startswith("_")}
        missing = fields - _documented(parsed["Attributes"])
        assert not missing, f"{name}: attributes not documented: {sorted(missing)}"
    if inspect.isclass(obj):
        return
    if _parameters(obj):
        assert parsed["Raises"], f"{name} has no Raises section"
    if inspect.signature(obj).return_annotation not in (None, "None", inspect.Signature.empty):
        assert parsed["Returns"], f"{name} has no Returns section"


def test_the_validation_fails_on_what_it_names():
    """A function with an undocumented parameter, a documented one it does not take, and no Raises, Returns or
    Examples: each is caught."""
    def broken(a, b) -> int:
        """Add.

        Parameters
        ----------
        a : int
            A number.
        c : int
            Another.
        """
        return a + b

    codes = {code for code, _ in validate(get_doc_object(broken))["errors"]} & CHECKS
    assert codes == {"PR01", "PR02", "RT01", "EX01"}, codes
    assert not get_doc_object(broken)["Raises"]


@pytest.mark.parametrize("key", sorted(docdict))
def test_docdict_entries_are_numpydoc_parameter_entries(key):
    lines = docdict[key].strip("\n").splitlines()
    assert re.fullmatch(r"\*{0,2}\w+( : .+)?", lines[0]), lines[0]
    for line in lines[1:]:
        assert line.startswith("    ") or re.fullmatch(r"\*{0,2}\w+( : .+)?", line), f"{key}: {line!r}"
    assert len(lines) > 1, f"{key} has no description"


def test_fill_doc_fills_and_indents_like_the_docstring():
    @fill_doc
    def simulate(seed=0):
        """Simulate (25 % of the time).

        Parameters
        ----------
        %(seed)s
        """

    lines = simulate.__doc__.splitlines()
    assert lines[0] == "Simulate (25 % of the time)."
    indent = len(lines[4]) - len(lines[4].lstrip())
    assert lines[4].strip() == "seed : int, default=0"
    assert len(lines[5]) - len(lines[5].lstrip()) == indent + 4
    assert "%(" not in simulate.__doc__


def test_fill_doc_names_an_unknown_entry():
    with pytest.raises(KeyError, match="no docdict entry 'sed'"):
        @fill_doc
        def simulate(seed=0):
            """Simulate.

            Parameters
            ----------
            %(sed)s
            """


def test_a_shared_parameter_reads_the_same_everywhere():
    """Docs written once: the hemisphere of region_mask and of simulate_vbm_study's effect come from docdict."""
    for function in (tb.region_mask, tb.region_centroid, tb.region_volume):
        assert "hemisphere : {\"left\", \"right\", \"both\"}, default=\"both\"" in function.__doc__
    for function in (learning.simulate_synapse, morphometry.simulate_vbm_study, prediction.simulate_cohort):
        assert "Seed of the random numbers, a whole number from 0 to 2**32 - 1" in function.__doc__


def test_the_figures_share_their_parameter_texts():
    """plot_region, plot_regions and view_3d read their shared parameters from docdict, word for word."""
    opens_inside = "None puts them at the voxel of the (first) region's mask nearest its centroid"
    for function in (tb.plot_region, tb.plot_regions):
        assert opens_inside in " ".join(function.__doc__.split())
    for function in (tb.plot_selection, tb.view_3d, tb.RegionExplorer, tb.region_explorer):
        assert "Course regions (keys, names or short names, as for one region); may be empty." in function.__doc__
    for function in (tb.plot_network, tb.view_network, tb.network_hub):
        assert "A functional network: its key (see :func:`therapybrain.list_networks`)" in function.__doc__


def test_the_reference_page_documents_every_public_name(tmp_path):
    """chapters/back/api.md's autodoc directives, built alone (Sphinx, text): every name of tb.__all__ is
    on the page, with its documentation (a data name with its ``#:`` comment), wherever its module is."""
    import re
    import subprocess
    import sys

    from conftest import ROOT

    page = (ROOT / "chapters" / "back" / "api.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```\{eval-rst\}\n(.*?)```", page, flags=re.S)
    assert len(blocks) >= 5
    (tmp_path / "conf.py").write_text('extensions = ["sphinx.ext.autodoc", "sphinx.ext.napoleon"]\n'
                                      'autodoc_typehints = "none"\nautodoc_member_order = "bysource"\n')
    (tmp_path / "index.rst").write_text("Reference\n=========\n\n" + "\n".join(blocks))
    done = subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "text", str(tmp_path), str(tmp_path / "out")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "WARNING" not in done.stderr and "ERROR" not in done.stderr, done.stderr[-3000:]
    text = (tmp_path / "out" / "index.txt").read_text(encoding="utf-8")
    documented = set(re.findall(r"^(?:class )?therapybrain\.[\w.]*?\.?(\w+)(?:\(| =)", text, flags=re.M))
    modules = {name for name in tb.__all__ if inspect.ismodule(getattr(tb, name))}  # tb.resting: its own section
    assert all(f".. automodule:: therapybrain.{name}" in page for name in modules), modules
    assert set(tb.__all__) - modules <= documented, sorted(set(tb.__all__) - modules - documented)
    assert "therapybrain.plotting.view_3d(" in text and "therapybrain.plotting.VIEWS = ('slices', 'glass')" in text
    assert "The static views, orthogonal slices through a point" in text  # VIEWS's comment, from the package
    # each data name's comment in full (napoleon reads "Words: more words" as a type and a description)
    lines = text.splitlines()
    for number, line in enumerate(lines):
        if re.match(r"^therapybrain\.[\w.]+ = ", line):
            comment = lines[number:number + 6]
            assert lines[number + 2].strip()[:1].isupper() and "Type:" not in lines[number + 4], comment
