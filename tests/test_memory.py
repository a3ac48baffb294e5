"""Memory of a student's kernel and server (issue 30): generous ceilings so that a regression cannot land.

The goals themselves (every lab <= 350 MB at its peak, an idle server <= 100 MB) are measured by
``benchmarks/kernel.py --labs`` and ``benchmarks/server.py``; these tests hold what the package does to
stay light, and a ceiling on the explorer's first draw well above today's figure.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]

# A fresh interpreter: its resident memory after `import therapybrain`, and its peak while the explorer
# draws for the first time (the peak is reset between the two through /proc/self/clear_refs).
_EXPLORER = """
import matplotlib; matplotlib.use("Agg")
import therapybrain as tb
def status(key):
    return next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith(key)) / 1024
after_import = status("VmRSS")
open("/proc/self/clear_refs", "w").write("5")
tb.region_explorer(["hippocampus", "amygdala", "pcc"], network="default_mode")
print(after_import, status("VmHWM"))
"""


@pytest.mark.skipif(not Path("/proc/self/clear_refs").exists(), reason="reads Linux's /proc for the peak")
def test_the_explorers_first_draw_stays_light():
    # Today about 65 MB above the imports (the template, the explorer's figure and widgets); before issue 30
    # the explorer's template copy and its temporaries took about 170 MB.
    done = subprocess.run([sys.executable, "-c", _EXPLORER], capture_output=True, text=True, cwd=ROOT, check=True)
    after_import, peak = map(float, done.stdout.split())
    assert peak - after_import < 120, f"the explorer's first draw peaked {peak - after_import:.0f} MB above the imports"


def test_the_explorer_draws_from_the_atlas_template_without_a_copy():
    from therapybrain.atlases import load_atlas
    from therapybrain.plotting.panels import _scaled, _slice_panel, _volume_frame

    axes, template, white, low, high = _volume_frame()
    assert template.values.dtype == np.uint8  # the file's bytes, not 35 MB of float32
    assert np.array_equal(template.values, load_atlas("mni152")._template_values().values)
    assert np.all(low < high) and 0 < white <= 1
    panel = _slice_panel("z", [], "both", np.empty((0, 3)), (0.0, 0.0, 10.0), 1)
    assert panel.image.dtype == np.float32 and 0.1 <= panel.image.min() and panel.image.max() <= 1
    assert _scaled(np.array([0, white, 2 * white], dtype=np.float32), white).tolist() == [0, 1, 1]


def test_network_spheres_are_the_same_as_measured_on_the_whole_grid():
    from therapybrain.plotting.slice_views import _add_sphere, _template
    from therapybrain.regions import network_coords

    template = _template(2)
    shape, affine = template.shape[:3], template.affine
    grid = np.stack(np.meshgrid(*[np.arange(n) for n in shape], indexing="ij"), axis=-1).reshape(-1, 3)
    world = grid @ affine[:3, :3].T + affine[:3, 3]
    whole = np.zeros(len(world), dtype=np.float32)
    boxed = np.zeros(shape, dtype=np.float32)
    for centre in network_coords("salience")[["x", "y", "z"]].to_numpy():
        whole[np.sum((world - centre) ** 2, axis=1) <= 5.0**2] = 1
        _add_sphere(boxed, affine, centre, 5.0)
    assert boxed.any() and np.array_equal(whole.reshape(shape), boxed)


def test_a_students_server_keeps_what_the_course_needs():
    sys.path.insert(0, str(ROOT))
    from scripts.hub.singleuser import STUDENT_CONFIG, server_args, server_environment

    args = " ".join(server_args())
    for needed in ("jupyterlab=", "jupyterlab_myst", "nbgitpuller", "notebook_shim"):
        assert needed not in args
    assert "--ServerApp.jpserver_extensions=jupyter_lsp=False" in server_args()
    page = json.loads((STUDENT_CONFIG / "labconfig" / "page_config.json").read_text())
    assert page["disabledExtensions"] == {"jupyterlab-jupytext": True}
    assert server_environment()["JUPYTER_CONFIG_PATH"] == str(STUDENT_CONFIG)


def _traced_peak_mb(call) -> tuple[object, float]:
    """What ``call()`` returns and the most memory Python and numpy held for it at once (tracemalloc, MB):
    the same on every run, unlike the process's resident memory."""
    import tracemalloc

    tracemalloc.start()
    try:
        result = call()
        return result, tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def test_the_slice_views_2_mm_template_is_averaged_without_a_padded_copy():
    from therapybrain.plotting.slice_views import _averaged_template, _template

    _template(1)  # nilearn's first use
    _averaged_template.cache_clear()
    image, peak = _traced_peak_mb(lambda: _template(2))
    # Today about 20 MB: the file's bytes (8.7 MB) and their reading, the 2 mm template (4.4 MB), a slab;
    # the 1 mm template as float32 would be 35 MB more, a padded copy of it 35 MB again
    assert image.shape == (99, 117, 95) and peak < 30, f"_template(2) held {peak:.0f} MB at its peak"


def test_the_atlas_keeps_the_templates_file_and_makes_nilearns_image_when_asked():
    from nilearn.datasets import load_mni152_template

    from therapybrain.atlases import load_atlas

    atlas = load_atlas("mni152")
    assert not hasattr(atlas._template_file(), "values")  # nothing of the template is kept between uses
    kept = atlas._template_values()
    assert kept.values.dtype == np.uint8 and kept.values.nbytes < 9 * 2**20  # not 35 MB of float32
    image, peak = _traced_peak_mb(lambda: atlas.template)
    assert peak < 50, f"the template image took {peak:.0f} MB"  # 35 MB of float32 and the file's 8.7 MB
    nilearns = load_mni152_template(resolution=1)
    assert np.array_equal(np.asarray(image.dataobj), np.asarray(nilearns.dataobj))
    assert np.asarray(image.dataobj).dtype == np.float32 and np.array_equal(image.affine, nilearns.affine)
    assert kept.unit(kept.values[100, 120]).tobytes() == np.asarray(nilearns.dataobj)[100, 120].tobytes()


def test_view_regions_builds_its_label_image_as_bytes_from_the_regions_boxes():
    import therapybrain as tb

    tb.view_regions(["pcc"])  # nilearn's and the 2 mm template's first use
    _, peak = _traced_peak_mb(lambda: tb.view_regions(["hippocampus", "amygdala", "prefrontal_cortex"]))
    # Today about 82 MB, nearly all of it nilearn's view_img (float64 copies of the 2 mm grid for its sprites);
    # a float32 1 mm label image and a whole-grid mask per region (before issue 30) made it 104 MB.
    assert peak < 95, f"view_regions held {peak:.0f} MB at its peak"


def test_the_simulated_vbm_study_holds_only_the_grey_matters_noise():
    from therapybrain.simulations import _vbm

    _vbm._grey_matter()
    noise, peak = _traced_peak_mb(lambda: _vbm._smooth_noise(np.random.default_rng(0), 128, 8.0))
    # 64 per group: 12 MB of grey-matter voxels; the whole boxes of noise and the smoothing's copies
    # (before issue 30) were 50 MB each
    assert noise.shape[0] == 128 and noise.dtype == np.float32
    assert peak < 1.5 * noise.nbytes / 2**20 + 2, f"_smooth_noise held {peak:.0f} MB at its peak"
    mask = np.zeros((197, 233, 189), dtype=np.uint8)
    mask[40:120, 50:150, 30:140] = 1
    coarse, peak = _traced_peak_mb(lambda: _vbm._coarse(mask))
    assert coarse.dtype == np.float32 and coarse.shape == (49, 58, 47) and peak < 6, f"_coarse: {peak:.0f} MB"
    assert set(np.unique(coarse)) <= {0.0, 0.25, 0.5, 0.75, 1.0}


def test_outlines_are_drawn_from_the_regions_boxes():
    import matplotlib.pyplot as plt

    from therapybrain.simulations import headlines, morphometry

    headlines.plot_atlas_comparison("hippocampus", "right")  # the atlases and nilearn's template, loaded once
    plt.close("all")
    _, peak = _traced_peak_mb(lambda: headlines.plot_atlas_comparison("amygdala", "left"))
    plt.close("all")
    # Today about 37 MB (the template's slices); nilearn's contours of two whole-grid masks took 120 MB.
    assert peak < 75, f"plot_atlas_comparison held {peak:.0f} MB at its peak"
    t_map, summary = morphometry.simulate_vbm_study("insula", effect_size=0.8)
    morphometry.plot_simulated_tmap(t_map, summary)
    plt.close("all")
    _, peak = _traced_peak_mb(lambda: morphometry.plot_simulated_tmap(t_map, summary))
    plt.close("all")
    # Today about 30 MB; the whole-grid outline of the region took 85 MB.
    assert peak < 60, f"plot_simulated_tmap held {peak:.0f} MB at its peak"
