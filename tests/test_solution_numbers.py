"""The numbers that the solutions quote are the numbers that the code gives.

tests/test_grading.py checks that every solution's code runs; this test checks what the solutions
*say* about it. Each claim below names a solution (page and label), a pattern that reads the
quoted numbers (or words) out of that solution's text, and the code that computes them. The quoted
value is parsed from the source every time, so a page that is edited, or a package change that
moves a number, fails here instead of leaving a stale answer key. A number is compared at the
precision it is quoted with ("about 296" to the unit, "0.62" to two decimals).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
NUMBER = re.compile(r"^[−-]?\d+(\.\d+)?$")


def _markdown(path: Path) -> str:
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return path.read_text(encoding="utf-8")


def solution_text(page: str, label: str | None) -> str:
    """The text of the solution box ``label`` on ``page`` (fenced or start/end form); None: the whole page."""
    text = _markdown(ROOT / page)
    if label is None:
        return text
    start = re.search(rf"(?m)^(`{{3,}})\{{solution(-start)?\}}\s+{re.escape(label)}\s*$", text)
    assert start, f"{page}: no solution {label}"
    rest = text[start.end():]
    if start.group(2):
        end = rest.find("{solution-end}")
    else:
        end_match = re.search(rf"(?m)^{start.group(1)}\s*$", rest)
        end = end_match.start() if end_match else -1
    assert end > 0, f"{page}: solution {label} is not closed"
    return rest[:end]


def _value(text: str) -> float | str:
    text = text.replace("−", "-")
    return float(text) if NUMBER.match(text) else text


def _matches(quoted: float | str, computed: object, text: str) -> bool:
    if isinstance(quoted, str):
        return quoted == computed
    decimals = len(text.split(".")[1]) if "." in text else 0
    return round(float(computed), decimals) == quoted


# ---------------------------------------------------------------- what the code computes, cached

@functools.cache
def _learning():
    from therapybrain.simulations import learning
    return learning


@functools.cache
def missed_sessions():
    learning = _learning()
    plan = learning.make_schedule("spaced")
    missed = plan.copy()
    missed[[20, 30]] = 0
    days = np.flatnonzero(missed)
    gaps = np.diff(days)
    longest = int(np.argmax(gaps))
    table = learning.summarise({"all": learning.simulate_synapse(plan),
                                "missed": learning.simulate_synapse(missed)}, delay=10)
    lower = "lower" if table.loc["missed", "final_weight"] < table.loc["all", "final_weight"] else "higher"
    usual = int(np.diff(np.flatnonzero(plan)).max())
    return int(gaps[longest]), int(days[longest]), int(days[longest + 1]), usual, lower


@functools.cache
def weekly_vs_massed():
    learning = _learning()
    weekly = learning.make_schedule("spaced", n_sessions=12, gap=7, n_steps=100)
    massed = learning.make_schedule("massed")   # 70 days: compare_schedules runs it over the weekly plan's 100
    return learning.summarise(learning.compare_schedules({"weekly": weekly, "massed": massed}), delay=10)


@functools.cache
def centroids():
    import therapybrain as tb
    return {key: tb.region_centroid(key, "left") for key in ["hippocampus", "amygdala", "prefrontal_cortex"]}


REST = "chapters/03-therapies/resting-state-lab.ipynb"


ANGULAR = (-44.45, -64.64, 34.78)  # Seitzman et al.'s left angular gyrus default mode region


def rest_value(seed: str, where: str | tuple, global_signal: bool = False) -> float:
    from therapybrain import resting
    return resting.value_at(resting.seed_map(seed, global_signal=global_signal), where)


@functools.cache
def rest_inside_outside(seed: str, network: str) -> tuple[float, float]:
    from therapybrain import resting
    return resting.inside_outside(resting.seed_map(seed), network, exclude=seed)


@functools.cache
def rest_high(regress_again: bool) -> float:
    from therapybrain import resting
    return resting.high_frequency_share(regress_again=regress_again)


def rest_seed_size(seed: str) -> int:
    from therapybrain import resting
    return len(resting.seed_vertices(seed))


def rest_seed_centre(seed: str) -> np.ndarray:
    """The mean mid-thickness position of a seed's vertices, or the mean of its published coordinates."""
    from therapybrain import resting
    if resting.seed_info(seed).coords:
        return np.mean(resting.seed_info(seed).coords, axis=0)
    return resting._maps._locating_coords()[resting.seed_vertices(seed)].mean(axis=0)


@functools.cache
def rest_spin() -> dict:
    from therapybrain import resting
    return resting.spin_test(resting.seed_map("pcc"), "default_mode", exclude="pcc", n_rotations=500)


@functools.cache
def rest_gsr() -> dict:
    from therapybrain import resting
    return resting.gsr_effect("pcc")


def rest_group(seed: str) -> float:
    from therapybrain import resting
    return float(resting.compare_with_group(seed)[["person", "group"]].corr().iloc[0, 1])


def _left_y(key: str) -> float:
    import therapybrain as tb
    return float(tb.region_centroid(key, "left")[1])


def _furthest_forward():
    found = max(centroids().items(), key=lambda kv: kv[1][1])[0]
    return found.replace("_", " ")


def _in_front(a: str, b: str) -> str:
    c = centroids()
    return f"{a}'s in front of the {b}" if c[a][1] > c[b][1] else "not in front"


@functools.cache
def volume(key: str, hemisphere: str) -> float:
    import therapybrain as tb
    return tb.region_volume(key, hemisphere)


@functools.cache
def atlas_comparison(key: str, hemisphere: str):
    from therapybrain.simulations import headlines
    return headlines.compare_atlases(key, hemisphere)


@functools.cache
def regions_at(xyz: tuple[float, float, float]) -> tuple[str, ...]:
    import therapybrain as tb
    return tuple(tb.locate(xyz)["regions"])


@functools.cache
def default_mode():
    import therapybrain as tb
    dmn = tb.network_coords("default_mode")
    dmn["regions"] = [regions_at((x, y, z)) for x, y, z in zip(dmn.x, dmn.y, dmn.z)]
    dmn["label"] = [max(tb.locate((x, y, z))["labels"].items(), key=lambda kv: kv[1], default=("", 0))[0]
                    for x, y, z in zip(dmn.x, dmn.y, dmn.z)]
    return dmn


def dmn_count(what: str) -> int:
    dmn = default_mode()
    outside = dmn[dmn["regions"].str.len() == 0]
    cortical = outside[outside.anatomy.str.startswith("cortex")]
    temporal = cortical[cortical.label.str.contains("Temporal")]
    counts = {
        "all": len(dmn),
        "hubs": int(dmn["regions"].apply(lambda r: "pcc" in r or "precuneus" in r).sum()),
        "prefrontal": int(dmn["regions"].apply(lambda r: "prefrontal_cortex" in r).sum()),
        "none": len(outside),
        "cortical": len(cortical),
        "temporal": len(temporal),
        "lateral temporal": int((~temporal.label.str.contains("Fusiform")).sum()),
        "fusiform": int(temporal.label.str.contains("Fusiform").sum()),
        "occipital": int(cortical.label.str.contains("Occipital").sum()),
        "cerebellum": int((outside.anatomy == "cerebellum").sum()),
        "thalamus": int((outside.anatomy == "thalamus").sum()),
        "caudate": int((outside.anatomy == "basalGanglia").sum()),
        "left": int((dmn.x < 0).sum()),
        "right": int((dmn.x > 0).sum()),
    }
    return counts[what]


@functools.cache
def salience_count(region: str) -> int:
    import therapybrain as tb
    sal = tb.network_coords("salience")
    return sum(region in regions_at((x, y, z)) for x, y, z in zip(sal.x, sal.y, sal.z))


@functools.cache
def in_sample(signal: float) -> float:
    from therapybrain.simulations import prediction
    runs = prediction.run_studies(n_studies=30, n_patients=40, n_features=200, signal=signal, seed=0)
    return float(runs["in_sample"].mean())


@functools.cache
def vbm_detected() -> tuple[bool, bool]:
    from therapybrain.simulations import morphometry
    small = morphometry.simulate_vbm_study("amygdala", 12, -1.0, seed=0, hemisphere="left")
    large = morphometry.simulate_vbm_study("amygdala", 40, -1.0, seed=0, hemisphere="left")
    return bool(small[1]["detected"]), bool(large[1]["detected"])


def _overlap(hemisphere: str, threshold: int) -> float:
    import therapybrain as tb
    return tb.region_overlap("dentate_gyrus", "hippocampus", hemisphere=hemisphere, threshold=threshold)


@functools.cache
def mask_box(key: str) -> dict[str, tuple[float, float]]:
    """The left mask's extent in MNI mm along x, y and z."""
    import therapybrain as tb
    mask = tb.region_mask(key, "left")
    ijk = np.argwhere(np.asarray(mask.dataobj) > 0)
    xyz = ijk @ mask.affine[:3, :3].T + mask.affine[:3, 3]
    return {axis: (float(xyz[:, i].min()), float(xyz[:, i].max())) for i, axis in enumerate("xyz")}


def _slab(key: str, axis: str, value: float) -> bool:
    """Whether the left mask has voxels in the 1 mm slab ``axis = value``."""
    import therapybrain as tb
    mask = tb.region_mask(key, "left")
    ijk = np.argwhere(np.asarray(mask.dataobj) > 0)
    xyz = ijk @ mask.affine[:3, :3].T + mask.affine[:3, 3]
    return bool(np.any(np.isclose(xyz[:, "xyz".index(axis)], value)))


def _slice_offsets(y: float) -> tuple[float, float]:
    """How far (cm) the left amygdala's centre lies below and outside the left ACC's, in the coronal slice at y."""
    import therapybrain as tb
    centres = {}
    for key in ("acc", "amygdala"):
        mask = tb.region_mask(key, "left")
        xyz = np.argwhere(np.asarray(mask.dataobj) > 0) @ mask.affine[:3, :3].T + mask.affine[:3, 3]
        centres[key] = xyz[np.isclose(xyz[:, 1], y)].mean(axis=0)
    return (centres["acc"][2] - centres["amygdala"][2]) / 10, (centres["acc"][0] - centres["amygdala"][0]) / 10


def _shared(axis: str) -> tuple[float, float]:
    a, b = mask_box("acc")[axis], mask_box("amygdala")[axis]
    return max(a[0], b[0]), min(a[1], b[1])


# ---------------------------------------------------------------- the claims

@dataclass(frozen=True)
class Claim:
    page: str
    label: str | None  # None: a number quoted in the page's prose, not in a solution
    pattern: str
    compute: Callable[[], tuple]

    @property
    def id(self) -> str:
        return f"{self.label or Path(self.page).stem}:{self.pattern[:30]}"


CH1 = "chapters/01-plasticity/index.md"
HEBB = "chapters/01-plasticity/hebbian-lab.ipynb"
SYN = "chapters/02-mechanisms/synaptic-plasticity.md"
SYN_LAB = "chapters/02-mechanisms/synaptic-plasticity-lab.ipynb"
PSY = "chapters/03-therapies/psychodynamic.md"
PSY_LAB = "chapters/03-therapies/psychodynamic-lab.ipynb"
AAL_AMYGDALA = r"gives about (\d\.\d) cm³ for the left amygdala and (\d\.\d) cm³\s+for\s+the right"

METHODS = "chapters/back/atlases-and-methods.md"


def _region_overlap(name: str, other: str) -> float:
    import therapybrain as tb
    return tb.region_overlap(name, other)


CLAIMS = [
    Claim(PSY, None, r"(\d+) of the (\d+) default-mode centres lie in temporal-lobe labels of the Harvard-Oxford atlas:"
          r" (\d+) along the lateral temporal cortex",
          lambda: (dmn_count("temporal"), dmn_count("all"), dmn_count("lateral temporal"))),
    Claim("chapters/02-mechanisms/neurogenesis.md", None, r"most of it does, about (\d+) % in the left hemisphere",
          lambda: (100 * _overlap("left", 25),)),
    Claim("chapters/02-mechanisms/neurogenesis-lab.ipynb", "ex-mech-neuro-code",
          r"about (0\.\d+) of the dentate gyrus lies inside the hippocampus at the 25 %\s+threshold and about"
          r" (0\.\d+) at 50 %", lambda: (_overlap("left", 25), _overlap("left", 50))),
    Claim("chapters/02-mechanisms/brain-structure-lab.ipynb", None,
          r"\(\|t\| of about (\d\.\d) against (\d\.\d)\), and the study (still misses) the effect",
          lambda: (roi_correction()["permutation"], roi_correction()["bonferroni"],
                   "still misses" if roi_correction()["missed"] else "finds")),
    Claim("chapters/02-mechanisms/brain-structure-lab.ipynb", None,
          r"about\s+(\d+) voxels of this grid, lowers the threshold to about (\d\.\d),"
          r" and the SIMULATED effect is (found)",
          lambda: (round(roi_correction()["n"], -1), roi_correction()["t_roi"],
                   "found" if roi_correction()["found"] else "missed")),
    Claim(METHODS, None, r'`tb.region_overlap\("amygdala", "hippocampus"\)` gives (0\.\d+)',
          lambda: (_region_overlap("amygdala", "hippocampus"),)),
    Claim(METHODS, None, r"\(and (\d+) % of its hippocampus, `tb.region_overlap\(\"hippocampus\", \"amygdala\"\)`\)",
          lambda: (100 * _region_overlap("hippocampus", "amygdala"),)),
    Claim(METHODS, None, r"\((\d+) % of the `pcc` mask lies\s+in the `precuneus` mask\)",
          lambda: (100 * _region_overlap("pcc", "precuneus"),)),
    Claim("chapters/00-welcome/brain-map.ipynb", "ex-welcome-map-locate",
          r"left amygdala's centroid \(y = (−?-?\d+\.\d)\) lies about (\d+) mm in front of"
          r" the left hippocampus's\s+\(y = (−?-?\d+\.\d)\)",
          lambda: (_left_y("amygdala"), _left_y("amygdala") - _left_y("hippocampus"), _left_y("hippocampus"))),
    Claim("chapters/00-welcome/brain-map.ipynb", "ex-welcome-map-locate", r"The point lies in the (hippocampus)",
          lambda: ("hippocampus" if "hippocampus" in regions_at((-25, -22, -14)) else "not hippocampus",)),
    Claim(REST, "ex-ther-rest-angular", r"About \*\*(0\.\d+)\*\* without and \*\*(0\.\d+)\*\* with global-signal",
          lambda: (rest_value("pcc", ANGULAR), rest_value("pcc", ANGULAR, True))),
    Claim(REST, "ex-ther-rest-angular", r"whole\s+Harvard-Oxford angular gyrus the mean is only about (0\.\d+)",
          lambda: (rest_value("pcc", "angular_gyrus"),)),
    Claim(REST, None, r"As shipped, (0\.\d+) % of the power lies above 0\.1 Hz", lambda: (rest_high(False),)),
    Claim(METHODS, None, r"The run's spectrum agrees: (0\.\d+) % of its power lies above 0\.1 Hz",
          lambda: (rest_high(False),)),
    Claim(METHODS, None, r"raises that share about (\w+)fold",
          lambda: ({8: "eight"}.get(round(rest_high(True) / rest_high(False)), "not eight"),)),
    Claim(REST, None, r"raises that to (\d\.\d+) %, about (\w+) times as much",
          lambda: (rest_high(True), {8: "eight"}.get(round(rest_high(True) / rest_high(False)), "not eight"))),
    Claim(REST, None, r"\{cite\}`seitzman2020`: (\d+) vertices", lambda: (rest_seed_size("pcc"),)),
    Claim(REST, None, r"Inside the network the mean r is about (0\.\d+), outside about (0\.\d+)",
          lambda: rest_inside_outside("pcc", "default_mode")),
    Claim(REST, None, r"No rotation reaches the real map's (0\.\d+)",
          lambda: (rest_spin()["difference"] if rest_spin()["null"].max() < rest_spin()["difference"] else -1,)),
    Claim(REST, None, r"Rotations reach about (0\.\d+), shuffles only about (0\.\d+)",
          lambda: (rest_spin()["null"].max(), rest_spin()["null_shuffle"].max())),
    Claim(REST, None, r"centre lies about (\d+) mm below the published medial prefrontal coordinate",
          lambda: (rest_seed_centre("mpfc")[2] - rest_seed_centre("mpfc_atlas")[2],)),
    Claim(REST, None, r'\(`"pcc_atlas"`,\s+(\d+) vertices', lambda: (rest_seed_size("pcc_atlas"),)),
    Claim(REST, None, r"seem weakly\s+coupled \(about (0\.\d+)\)", lambda: (rest_value("pcc_atlas", "mpfc_atlas"),)),
    Claim(REST, None, r"twice as strong \((0\.\d+) to (0\.\d+)\)",
          lambda: (rest_value("pcc", "mpfc"), rest_value("pcc_atlas", "mpfc"))),
    Claim(REST, None, r"lowers about (\d+) % of them and raises about (\d+) %",
          lambda: (100 * rest_gsr()["lowered"], 100 * rest_gsr()["raised"])),
    Claim(REST, None, r"negative r grows from about (\d+) % to (\d+) %",
          lambda: (100 * rest_gsr()["negative_before"], 100 * rest_gsr()["negative_after"])),
    Claim(REST, None, r"the median\) moves\s+from (0\.\d+) to about (zero)",
          lambda: (rest_gsr()["median_before"], "zero" if abs(rest_gsr()["median_after"]) < 0.02 else "not zero")),
    Claim(REST, "ex-ther-rest-motor", r"About \*\*([−-]0\.\d+)\*\*, and \*\*([−-]0\.\d+)\*\* with the global signal",
          lambda: (rest_value("motor", "visual"), rest_value("motor", "visual", True))),
    Claim(REST, "ex-ther-rest-motor", r"gives about (0\.\d+) inside against (0\.\d+) outside",
          lambda: rest_inside_outside("motor", "somatomotor_dorsal")),
    Claim(REST, "ex-ther-rest-motor", r"about (0\.\d+) against (0\.\d+) outside: it (fails)",
          lambda: (*rest_inside_outside("motor", "default_mode"),
                   "fails" if rest_inside_outside("motor", "default_mode")[0]
                   <= rest_inside_outside("motor", "default_mode")[1] else "passes")),
    Claim(REST, "ex-ther-rest-group", r"About \*\*(0\.\d+)\*\* for the medial prefrontal seed and \*\*(0\.\d+)\*\*",
          lambda: (rest_group("mpfc"), rest_group("pcc"))),
    Claim(CH1, "ex-plasticity-missed", r"decays for (\d+) days \(from day (\d+) to day (\d+)\) instead of (\d+)",
          lambda: missed_sessions()[:4]),
    Claim(CH1, "ex-plasticity-missed", r"SIMULATED weight ends (\w+)", lambda: missed_sessions()[4:]),
    Claim(CH1, "ex-plasticity-centroids", r"The (prefrontal cortex)'s centre lies furthest forward",
          lambda: (_furthest_forward(),)),
    Claim(CH1, "ex-plasticity-centroids", r"the (amygdala's in front of the hippocampus)'s",
          lambda: (_in_front("amygdala", "hippocampus"),)),
    Claim(HEBB, "ex-plasticity-lab-code", r"peak weight \((\d\.\d+) and (\d\.\d+)\)",
          lambda: tuple(weekly_vs_massed()["peak_weight"])),
    Claim(HEBB, "ex-plasticity-lab-code", r"stable part \((\d\.\d+) against (\d\.\d+)\)",
          lambda: tuple(weekly_vs_massed()["stable_after_delay"])),
    Claim("chapters/02-mechanisms/gene-expression-lab.ipynb", "ex-mech-gene-code", r"\(about (\d\.\d) %\)",
          lambda: (100 * (1 - (1 - 0.05 / 50) ** 50),)),
    Claim("chapters/02-mechanisms/neurogenesis-lab.ipynb", "ex-mech-neuro-code",
          r"At the stricter threshold the fraction inside goes (up)",
          lambda: ("up" if _overlap("left", 50) > _overlap("left", 25) else "down",)),
    Claim("chapters/02-mechanisms/brain-structure-lab.ipynb", "ex-mech-vbm-code",
          r"the larger study (finds) the simulated decrease and the small one (misses) it",
          lambda: (("finds" if vbm_detected()[1] else "misses"), ("finds" if vbm_detected()[0] else "misses"))),
    *[Claim(page, label, pattern, compute) for page, label in [(SYN, "ex-mech-syn-lab"), (SYN_LAB, "ex-mech-syn-code")]
      for pattern, compute in [
          (r"union of (eight) atlas labels", lambda: (_word(len(_pfc_labels())).lower(),)),
          (r"about (\d+) cm³ for both", lambda: (volume("prefrontal_cortex", "both"),)),
          (r"about (\d\.\d) cm³ for both, (\d\.\d) cm³ on the left",
           lambda: (volume("amygdala", "both"), volume("amygdala", "left"))),
          (AAL_AMYGDALA, lambda: tuple(atlas_comparison("amygdala", side).loc["aal", "volume_mm3"] / 1000
                                       for side in ("left", "right"))),
      ]],
    Claim("chapters/03-therapies/cbt.md", "ex-ther-cbt-locate", r"gives `\['(\w+)'\]`",
          lambda: regions_at((38.37, 43.18, 15.06))),
    Claim("chapters/03-therapies/cbt.md", "ex-ther-cbt-locate",
          r"\(−42\.23, 38\.21, 21\.35\) does (fall) in the `dlpfc` mask",
          lambda: ("fall" if "dlpfc" in regions_at((-42.23, 38.21, 21.35)) else "not fall",)),
    Claim("chapters/03-therapies/cbt-lab.ipynb", "ex-ther-cbt-lab-right",
          r"the Dosenbach\s+\"dlPFC\" point lies (inside) it",
          lambda: ("inside" if "dlpfc" in regions_at((40, 36, 29)) else "outside",)),
    Claim("chapters/03-therapies/cbt-lab.ipynb", "ex-ther-cbt-lab-right",
          r"The Seitzman point lies in the right frontal pole, (outside) the course's `dlpfc`",
          lambda: ("outside" if "dlpfc" not in regions_at((38.37, 43.18, 15.06)) else "inside",)),
    Claim("chapters/03-therapies/cbt-lab.ipynb", "ex-ther-cbt-lab-slices",
          r"left ACC \(about x = (−?\d+), y = (−?\d+), z = (−?\d+)\)", lambda: _acc_centre()),
    Claim("chapters/03-therapies/cbt-lab.ipynb", "ex-ther-cbt-lab-slices",
          r"\(x from about (−\d+) to (−\d+)\), further back \(y from about (−\d+) to (\d+)\)"
          r" and much lower \(z from about (−\d+)\s+to (−\d+)\)",
          lambda: (*mask_box("amygdala")["x"], *mask_box("amygdala")["y"], *mask_box("amygdala")["z"])),
    Claim("chapters/03-therapies/cbt-lab.ipynb", "ex-ther-cbt-lab-slices",
          r"the ACC runs from about y = (−\d+) to y = (\d+)", lambda: mask_box("acc")["y"]),
    Claim("chapters/03-therapies/cbt-lab.ipynb", "ex-ther-cbt-lab-slices",
          r"the two masks share only x = (−\d+)",
          lambda: (_shared("x")[0],) if _shared("x")[0] == _shared("x")[1] else ("none",)),
    Claim("chapters/03-therapies/cbt-lab.ipynb", "ex-ther-cbt-lab-slices",
          r"and z = (−\d+) to (−\d+) \(the ACC's lowest tip", lambda: _shared("z")),
    Claim("chapters/03-therapies/cbt-lab.ipynb", "ex-ther-cbt-lab-slices",
          r"at y = (−\d+), the ACC above the corpus callosum near the midline and the amygdala about (\d) cm"
          r"\s+lower and (\d) cm further out", lambda: (-2, *_slice_offsets(-2))),
    Claim("chapters/03-therapies/mindfulness.md", "ex-ther-mind-salience",
          r"of its\s+(nine) centres, (two) lie in the insula \(one per hemisphere\)"
          r" and (four) in the anterior cingulate",
          lambda: (_word(_salience_size()).lower(), _word(salience_count("insula")).lower(),
                   _word(salience_count("acc")).lower())),
    Claim("chapters/02-mechanisms/neurogenesis.md", "ex-mech-neuro-lab",
          r"about the same fraction as the\s+left \(about (0\.\d+) against (0\.\d+)\)",
          lambda: (_overlap("right", 25), _overlap("left", 25))),
    Claim("chapters/02-mechanisms/neurogenesis.md", "ex-mech-neuro-lab",
          r"At the 50 % threshold the left fraction rises to about (0\.\d+)", lambda: (_overlap("left", 50),)),
    Claim("chapters/02-mechanisms/brain-structure.md", "ex-mech-vbm-lab",
          r"the study with 40 per group (detects) the\s+simulated decrease .*"
          r" and the study with 12 per group (misses) it",
          lambda: (("detects" if vbm_detected()[1] else "misses"), ("detects" if vbm_detected()[0] else "misses"))),
    Claim("chapters/02-mechanisms/gene-expression.md", "ex-mech-gene-lab",
          r"from 5 % \(one test\) to about (\d+) % \(20 tests\) and (\d+) % \(50 tests\)",
          lambda: (100 * (1 - 0.95 ** 20), 100 * (1 - 0.95 ** 50))),
    Claim("chapters/02-mechanisms/gene-expression.md", "ex-mech-gene-lab", r"\(about (\d\.\d) %\) however many",
          lambda: (100 * (1 - (1 - 0.05 / 50) ** 50),)),
    Claim("chapters/03-therapies/mindfulness-lab.ipynb", "ex-ther-mind-lab-salience",
          r"(Two) centres lie in the insula \(one per hemisphere\) and (four) in the anterior cingulate",
          lambda: (_word(salience_count("insula")), _word(salience_count("acc")))),
    Claim(PSY_LAB, "ex-ther-psy-lab-count",
          r"Only (\d+) of the (\d+) centres lie in the posterior hubs, and (\d+), more than a third",
          lambda: (dmn_count("hubs"), dmn_count("all"), dmn_count("none"))),
    Claim(PSY_LAB, "ex-ther-psy-lab-count", r"(\d+) in the temporal lobe \((\d+) along the lateral temporal cortex",
          lambda: (dmn_count("temporal"), dmn_count("lateral temporal"))),
    Claim(PSY_LAB, "ex-ther-psy-lab-count", r"(\d+) in the lateral\s+occipital cortex next to the angular gyrus",
          lambda: (dmn_count("occipital"),)),
    Claim(PSY_LAB, "ex-ther-psy-lab-count",
          r"(\d+) in the cerebellum, (\d+) in the thalamus and (\d+) in the\s+caudate",
          lambda: (dmn_count("cerebellum"), dmn_count("thalamus"), dmn_count("caudate"))),
    Claim(PSY_LAB, "ex-ther-psy-lab-sides", r"gives (\d+) left and\s+(\d+) right",
          lambda: (dmn_count("left"), dmn_count("right"))),
    Claim(PSY, "ex-ther-psy-count",
          r"Of the (\d+), only (\d+) lie in the `pcc` or\s+`precuneus` masks;"
          r" (\d+) lie in the prefrontal cortex, and (\d+), more than a third",
          lambda: (dmn_count("all"), dmn_count("hubs"), dmn_count("prefrontal"), dmn_count("none"))),
    Claim(PSY, "ex-ther-psy-count",
          r"(\d+) of these are cortical, (\d+) lie\s+in the cerebellum, (\d+) in the thalamus and (\d+) in the caudate",
          lambda: (dmn_count("cortical"), dmn_count("cerebellum"), dmn_count("thalamus"), dmn_count("caudate"))),
    Claim(PSY, "ex-ther-psy-count",
          r"(\d+) are in the temporal lobe \((\d+) along the lateral temporal cortex and the"
          r"\s+temporal poles, (one) on its underside\)",
          lambda: (dmn_count("temporal"), dmn_count("lateral temporal"), _word(dmn_count("fusiform")).lower())),
    Claim(PSY, "ex-ther-psy-count", r"and (\d+) in the lateral\s+occipital cortex", lambda: (dmn_count("occipital"),)),
    Claim("chapters/04-future/prediction-lab.ipynb", "ex-ther-pred-lab-signal",
          r"about (0\.\d+) with the signal, (0\.\d+) on pure\s+noise", lambda: (in_sample(0.8), in_sample(0.0))),
    Claim("chapters/05-conclusion/headline-lab.ipynb", "ex-conclusion-lab-code",
          r"Harvard-Oxford's label is about (\d+\.\d) cm³ and AAL's\s+about (\d+\.\d) cm³,"
          r" and only (\d+) % of the first",
          lambda: (atlas_comparison("insula", "left").loc["harvard_oxford", "volume_mm3"] / 1000,
                   atlas_comparison("insula", "left").loc["aal", "volume_mm3"] / 1000,
                   atlas_comparison("insula", "left").loc["harvard_oxford", "pct_inside_other"])),
    Claim("chapters/05-conclusion/index.md", "ex-conclusion-locate",
          r"places the point in the left (hippocampus), and inside the course's (dentate gyrus) region",
          lambda: tuple(r.replace("_", " ") for r in regions_at((-25.57, -11.78, -21.54)))),
]


def _word(n: int) -> str:
    words = ["None", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten"]
    return words[n] if n < len(words) else str(n)


def _salience_size() -> int:
    import therapybrain as tb
    return len(tb.network_coords("salience"))


@functools.cache
def roi_correction() -> dict[str, float | bool]:
    """The brain-structure lab's comparison of corrections (its code cell, re-run)."""
    from nilearn.image import resample_to_img
    from scipy import stats

    import therapybrain as tb
    from therapybrain.simulations import morphometry
    t_map, summary = morphometry.simulate_vbm_study("insula", n_per_group=16, effect_size=0.8, seed=0)
    _, permuted = morphometry.simulate_vbm_study("insula", n_per_group=16, effect_size=0.8, seed=0,
                                                 correction="permutation")
    insula = resample_to_img(tb.region_mask("insula"), t_map, interpolation="nearest").get_fdata() > 0
    t = t_map.get_fdata()
    n_insula = int((insula & (t != 0)).sum())
    t_roi = float(stats.t.isf(0.05 / (2 * n_insula), summary["df"]))
    return {"bonferroni": summary["t_corrected"], "permutation": permuted["t_corrected"],
            "missed": not (summary["detected"] or permuted["detected"]), "n": n_insula, "t_roi": t_roi,
            "found": bool((abs(t[insula]) > t_roi).any())}


def _pfc_labels() -> tuple[str, ...]:
    import therapybrain as tb
    return tuple(tb.region_info("prefrontal_cortex").labels)


def _acc_centre() -> tuple[float, ...]:
    import therapybrain as tb
    return tb.region_centroid("acc", "left")


@pytest.mark.parametrize("claim", CLAIMS, ids=[c.id for c in CLAIMS])
def test_quoted_numbers_match_the_code(claim: Claim):
    text = re.sub(r"\s+", " ", solution_text(claim.page, claim.label))
    found = re.search(re.sub(r"\\s\+|\\s\*", " ", claim.pattern).replace("  ", " "), text)
    assert found, f"{claim.page} {claim.label}: the text no longer says {claim.pattern!r}; update the claim"
    computed = claim.compute()
    quoted = found.groups()
    assert len(quoted) == len(computed), (quoted, computed)
    for text_value, value in zip(quoted, computed):
        q = _value(text_value.lower() if not NUMBER.match(text_value.replace("−", "-")) else text_value)
        v = value.lower() if isinstance(value, str) else value
        assert _matches(q, v, text_value.replace("−", "-")), (
            f"{claim.page} {claim.label}: the text says {text_value}, the code gives {value}")


def test_every_solution_with_a_number_is_checked_or_listed():
    """A solution that quotes a number of its own needs a claim here (or a reason below)."""
    qualitative = {  # solutions whose numbers are not computed by code: study sizes, p-values, a chance level
        "ex-welcome-grade", "ex-mech-vbm-read", "ex-mech-vbm-two-studies", "ex-mech-gene-chain",
        "ex-mech-neuro-headlines", "ex-mech-neuro-evidence", "ex-mech-syn-headline", "ex-ther-cbt-predict",
        "ex-ther-mind-design", "ex-ther-future-headline", "ex-ther-future-code", "ex-conclusion-checklist",
        "ex-ther-pred-lab-features", "ex-plasticity-rewrite", "ex-mech-syn-design", "ex-mech-gene-direction",
        "ex-ther-psy-design", "ex-ther-cbt-lab-network",
    }  # ex-ther-future-code: "around chance (0.5)" is the chance level of a balanced two-group design
    checked = {c.label for c in CLAIMS}
    missing = []
    for path in sorted((ROOT / "chapters").rglob("*")):
        if path.suffix not in {".md", ".ipynb"}:
            continue
        text = _markdown(path)
        for match in re.finditer(r"(?m)^`{3,}\{solution(?:-start)?\}\s+(\S+)\s*$", text):
            label = match.group(1)
            body = solution_text(str(path.relative_to(ROOT)), label)
            body = re.sub(r"(?ms)^```python\n.*?^```", "", body)  # code blocks, then fence lines
            body = re.sub(r"(?m)^`{3,}.*$", "", body)
            body = re.sub(r"\{cite[^`]*`[^`]*`|`[^`\n]*`", "", body)  # citations and inline code
            if re.search(r"(?<![\w.])\d+(\.\d+)?(?![\w.])", body) and label not in checked | qualitative:
                missing.append(f"{path.relative_to(ROOT)}: {label}")
    assert not missing, "solutions quoting numbers with no claim in this test: " + ", ".join(missing)
