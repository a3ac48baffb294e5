"""Benchmark: how fast the region explorer redraws after a change (prints figures; not a test).

Usage: .venv/bin/python benchmarks/explorer.py
"""

import statistics
import time
import warnings

import matplotlib

matplotlib.use("Agg")
warnings.simplefilter("ignore")


def main() -> None:
    start = time.perf_counter()
    import therapybrain as tb

    explorer = tb.region_explorer(["hippocampus", "amygdala"], network="default_mode")
    first = time.perf_counter() - start
    changes = {
        "hemisphere": [lambda h=h: setattr(explorer.hemisphere, "value", h) for h in ("left", "right", "both")] * 3,
        "regions": [lambda r=r: setattr(explorer.regions, "value", r)
                    for r in [("pcc",), ("pcc", "precuneus"), ("acc", "insula", "dlpfc"), ("hippocampus",)]] * 2,
        "move (slices)": [lambda p=p: explorer.move_to(p) for p in [(-25, -22, -14), (0, 40, 0), (40, -60, 30)]] * 3,
        "view": [lambda v=v: setattr(explorer.view, "value", v) for v in ("glass", "slices")] * 3,
        "network": [lambda n=n: setattr(explorer.network, "value", n)
                    for n in ("salience", None, "frontoparietal")] * 2,
    }
    print(f"first draw (imports, atlas loading, masks): {first:.2f} s")
    every = []
    for name, actions in changes.items():
        times = []
        for action in actions:
            t = time.perf_counter()
            action()
            times.append(time.perf_counter() - t)
        every += times
        print(f"{name:15s} median {statistics.median(times):.3f} s   max {max(times):.3f} s   (n={len(times)})")
    print(f"{'all changes':15s} median {statistics.median(every):.3f} s   max {max(every):.3f} s   (n={len(every)})")


if __name__ == "__main__":
    main()
