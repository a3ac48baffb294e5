"""How big a Kubernetes cluster a class needs, from the hub benchmark's results (benchmarks/results/hub.json).

The instructor guide (chapters/instructor/class.md) shows :func:`sizing_table`'s table between
``<!-- hub sizing -->`` and ``<!-- /hub sizing -->``; tests/test_z2jh.py holds that it is this module's output for
the last results file. Every measured figure comes from the results' ``quoted`` figures (benchmarks/hub.py):

- ``guarantee_mb``: the memory guarantee per student (an idle server and the heaviest kernel), which Kubernetes
  reserves for each student's server on its node;
- ``limit_mb``: the memory limit per student (a second notebook as heavy), a burst above the guarantee;
- ``cores_per_student_2x``: the cores per student with which a class waits at most twice one student's time.

What is assumed (:class:`Assumptions`) is stated in the table's caption: how many of the enrolled students run at
once, and what each node keeps for Kubernetes itself. The hub, its proxy and the chart's other pods go on a small
node of their own (the chart's documentation recommends a node pool dedicated to user pods), not counted here.

Usage::

    .venv/bin/python -m benchmarks.sizing                  # print the table for the last results
    .venv/bin/python -m benchmarks.sizing --update-guide   # write it into class.md
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "hub.json"
GUIDE = ROOT / "chapters" / "instructor" / "class.md"
BEGIN, END = "<!-- hub sizing -->", "<!-- /hub sizing -->"

#: The ``quoted`` figures of the results file that the sizing reads.
NEEDED = ("guarantee_mb", "limit_mb", "cores_per_student_2x")


class SizingError(ValueError):
    """The results or the assumptions cannot give a sizing; the message names what is missing or valid.

    Examples
    --------
    >>> sizing_table({"guarantee_mb": "700", "limit_mb": "1200"})
    Traceback (most recent call last):
    ...
    benchmarks.sizing.SizingError: the results' quoted figures lack cores_per_student_2x; the sizing needs ...
    """


@dataclass(frozen=True)
class Assumptions:
    """What the sizing assumes beyond the measurements (each stated in the table's caption).

    Parameters
    ----------
    enrolled : tuple of int
        The class sizes of the table's rows (students enrolled).
    node_cores : tuple of int
        The nodes' sizes of the table's columns (cores per node).
    section : int
        A lab section: its students all start together, pressing *Run All* at the same moment (the case the
        benchmark measures). A class no larger than a section runs all at once.
    share : float
        Of a larger course, the share of the enrolled students at work at the busiest hour (sections meet at
        different times; the hour before a deadline), in (0, 1].
    system_cores : float
        Cores each node keeps for Kubernetes itself (kubelet, container runtime, the chart's image puller).
    system_mb : int
        Memory each node keeps for Kubernetes itself, MB.

    Examples
    --------
    >>> Assumptions().at_once(200)
    50
    >>> Assumptions(share=0.5).at_once(200)
    100
    """

    enrolled: tuple[int, ...] = (40, 200, 1000)
    node_cores: tuple[int, ...] = (4, 8, 16)
    section: int = 40
    share: float = 0.25
    system_cores: float = 0.5
    system_mb: int = 1024

    def __post_init__(self) -> None:
        if not self.enrolled or any(not isinstance(n, int) or n < 1 for n in self.enrolled):
            raise SizingError(f"enrolled must be class sizes of 1 or more students, got {self.enrolled!r}")
        if not self.node_cores or any(not isinstance(c, int) or c <= self.system_cores for c in self.node_cores):
            raise SizingError(f"node_cores must be whole numbers of cores above system_cores ({self.system_cores}), "
                              f"got {self.node_cores!r}")
        if not isinstance(self.section, int) or self.section < 1:
            raise SizingError(f"section must be a number of students (1 or more), got {self.section!r}")
        if not 0 < self.share <= 1:
            raise SizingError(f"share must be a fraction in (0, 1] of the enrolled students, got {self.share!r}")
        if self.system_cores < 0 or self.system_mb < 0:
            raise SizingError(f"system_cores and system_mb must be 0 or more, got {self.system_cores!r} and "
                              f"{self.system_mb!r}")

    def at_once(self, enrolled: int) -> int:
        """How many of ``enrolled`` students run at once: a whole section, or ``share`` of the course if more.

        Parameters
        ----------
        enrolled : int
            Students enrolled.

        Returns
        -------
        int
            ``min(enrolled, max(section, ceil(share * enrolled)))``.

        Examples
        --------
        >>> Assumptions().at_once(40), Assumptions().at_once(1000)
        (40, 250)
        """
        return min(enrolled, max(self.section, math.ceil(self.share * enrolled)))


@dataclass(frozen=True)
class Nodes:
    """The nodes of one size for one class: how many, and the memory each needs.

    Parameters
    ----------
    cores : int
        Cores per node.
    per_node : int
        Students a node holds (its cores, less ``system_cores``, over the cores per student).
    count : int
        Nodes needed for the students at once.
    memory_gb : int
        Memory per node, GB of 1024 MB: ``per_node`` memory guarantees and ``system_mb``, rounded up.

    Examples
    --------
    >>> Nodes(cores=8, per_node=14, count=3, memory_gb=11).cell()
    '3 × 11 GB'
    """

    cores: int
    per_node: int
    count: int
    memory_gb: int

    def cell(self) -> str:
        """The table's cell: ``count × memory_gb GB``.

        Returns
        -------
        str
            For example ``'3 × 11 GB'``.

        Examples
        --------
        >>> Nodes(cores=4, per_node=6, count=1, memory_gb=6).cell()
        '1 × 6 GB'
        """
        return f"{self.count} × {self.memory_gb} GB"


@dataclass(frozen=True)
class Row:
    """One class size: the students at once, what they need in all, and the nodes of each size.

    Parameters
    ----------
    enrolled : int
        Students enrolled.
    at_once : int
        Students at work at once (:meth:`Assumptions.at_once`).
    cores : float
        Cores the students at once need in all.
    memory_gb : float
        Memory the students at once are guaranteed in all, GB of 1024 MB.
    nodes : tuple of Nodes
        One entry per node size, in the order of ``Assumptions.node_cores``.

    Examples
    --------
    >>> row = plan({"guarantee_mb": "700", "limit_mb": "1200", "cores_per_student_2x": "0.5"})[0]
    >>> row.enrolled, row.at_once, row.nodes[0].cell()
    (40, 40, '6 × 6 GB')
    """

    enrolled: int
    at_once: int
    cores: float
    memory_gb: float
    nodes: tuple[Nodes, ...]


def _figures(quoted: Mapping[str, str]) -> tuple[int, int, float]:
    """The measured figures the sizing reads: memory guarantee and limit (MB), cores per student."""
    missing = [key for key in NEEDED if key not in quoted]
    if missing:
        raise SizingError(f"the results' quoted figures lack {', '.join(missing)}; the sizing needs "
                          f"{', '.join(NEEDED)} (benchmarks/hub.py computes them from the load rounds)")
    try:
        guarantee, limit = int(quoted["guarantee_mb"]), int(quoted["limit_mb"])
        cpu = float(quoted["cores_per_student_2x"])
    except ValueError as error:
        raise SizingError(f"the quoted figures {', '.join(NEEDED)} must be numbers, got "
                          f"{[quoted[key] for key in NEEDED]}: {error}") from None
    if guarantee <= 0 or limit < guarantee or cpu <= 0:
        raise SizingError(f"the quoted figures must be a memory guarantee above 0, a limit at least as large and "
                          f"cores per student above 0; got {guarantee} MB, {limit} MB and {cpu} cores")
    return guarantee, limit, cpu


def plan(quoted: Mapping[str, str], assumptions: Assumptions = Assumptions()) -> list[Row]:
    """The cluster each class size needs: per node size, how many nodes and the memory of each.

    A node of ``c`` cores holds ``floor((c - system_cores) / cores_per_student_2x)`` students, with
    ``guarantee_mb`` each reserved and ``system_mb`` more: that is its memory, rounded up to whole GB. The
    students at once are spread over as many such nodes as they need.

    Parameters
    ----------
    quoted : Mapping
        The results' ``quoted`` figures (strings, as benchmarks/hub.py writes them); reads ``guarantee_mb``,
        ``limit_mb`` and ``cores_per_student_2x``.
    assumptions : Assumptions
        The class sizes, node sizes, students at once and what each node keeps for itself.

    Returns
    -------
    list of Row
        One row per class size of ``assumptions.enrolled``.

    Raises
    ------
    SizingError
        A figure is missing or not a number, or a node of the given size cannot hold one student.

    Examples
    --------
    >>> rows = plan({"guarantee_mb": "700", "limit_mb": "1200", "cores_per_student_2x": "0.51"})
    >>> [(row.enrolled, row.at_once) for row in rows]
    [(40, 40), (200, 50), (1000, 250)]
    >>> [nodes.cell() for nodes in rows[0].nodes]
    ['7 × 6 GB', '3 × 11 GB', '2 × 22 GB']
    """
    guarantee, _, cpu = _figures(quoted)
    rows = []
    for enrolled in assumptions.enrolled:
        at_once = assumptions.at_once(enrolled)
        nodes = []
        for cores in assumptions.node_cores:
            per_node = math.floor((cores - assumptions.system_cores) / cpu + 1e-9)
            if per_node < 1:
                raise SizingError(f"a node of {cores} cores holds no student at {cpu} cores each "
                                  f"(after {assumptions.system_cores} for the system): choose node_cores above "
                                  f"{assumptions.system_cores + cpu}")
            memory_gb = math.ceil((per_node * guarantee + assumptions.system_mb) / 1024)
            nodes.append(Nodes(cores, per_node, math.ceil(at_once / per_node), memory_gb))
        rows.append(Row(enrolled, at_once, round(at_once * cpu, 1), round(at_once * guarantee / 1024, 1),
                        tuple(nodes)))
    return rows


def _number(value: float) -> str:
    return f"{value:g}" if value < 1000 else f"{value:,.0f}"


def sizing_table(quoted: Mapping[str, str], assumptions: Assumptions = Assumptions()) -> str:
    """The guide's sizing table (markdown) for the results' quoted figures, its caption stating the assumptions.

    Parameters
    ----------
    quoted : Mapping
        The results' ``quoted`` figures (``json.load(open("benchmarks/results/hub.json"))["quoted"]``).
    assumptions : Assumptions
        The class sizes, node sizes, students at once and what each node keeps for itself.

    Returns
    -------
    str
        A caption, a markdown table and a note on the memory limit, ending in a newline: what goes between
        ``<!-- hub sizing -->`` and ``<!-- /hub sizing -->`` in class.md.

    Raises
    ------
    SizingError
        A figure is missing or not a number, or a node of the given size cannot hold one student.

    Examples
    --------
    >>> table = sizing_table({"guarantee_mb": "700", "limit_mb": "1200", "cores_per_student_2x": "0.51"})
    >>> print(table.splitlines()[4])
    | 40 | 40 | 20.4 | 27.3 | 7 × 6 GB | 3 × 11 GB | 2 × 22 GB |
    """
    guarantee, limit, cpu = _figures(quoted)
    rows = plan(quoted, assumptions)
    a = assumptions
    sizes = ", ".join(f"{cores}" for cores in a.node_cores)
    lines = [
        f"Sizing table: nodes for the students at work at once (nodes of {sizes} cores: how many × the memory "
        f"each needs at least). Measured: {cpu:g} of a core and a {guarantee} MB memory guarantee per student. "
        f"Assumed: a lab section of {a.section} students starts together, so a class of up to {a.section} "
        f"runs all at once; of a larger course, {a.share:.0%} are at work at the busiest hour (sections meet "
        f"at different times), and never fewer than a section; each node keeps {a.system_cores:g} core and "
        f"{a.system_mb} MB for Kubernetes itself. Not counted: a small node for the hub, its proxy and the "
        "chart's other pods.",
        "",
        "| enrolled | at once | cores in all | memory in all (GB) | "
        + " | ".join(f"{cores}-core nodes" for cores in a.node_cores) + " |",
        "|---|---|---|---|" + "---|" * len(a.node_cores),
    ]
    for row in rows:
        lines.append(f"| {_number(row.enrolled)} | {_number(row.at_once)} | {row.cores:g} | {row.memory_gb:g} | "
                     + " | ".join(nodes.cell() for nodes in row.nodes) + " |")
    largest = max(a.node_cores)
    full = max(rows[0].nodes, key=lambda nodes: nodes.cores).per_node
    at_limit = math.ceil((full * limit + a.system_mb) / 1024)
    lines += ["", f"A node's memory holds each of its students' guarantee ({guarantee} MB). The limit "
              f"({limit} MB) is a burst: a {largest}-core node whose {full} students all reached it at once "
              f"would need {at_limit} GB."]
    return "\n".join(lines) + "\n"


def replace_block(text: str, table: str) -> str:
    """``text`` (class.md) with ``table`` between ``<!-- hub sizing -->`` and ``<!-- /hub sizing -->``.

    Parameters
    ----------
    text : str
        The guide's markdown.
    table : str
        What :func:`sizing_table` returned.

    Returns
    -------
    str
        The guide with its sizing block replaced.

    Raises
    ------
    SizingError
        The guide has not exactly one sizing block.

    Examples
    --------
    >>> replace_block("a\\n<!-- hub sizing -->\\nold\\n<!-- /hub sizing -->\\nb", "new\\n")
    'a\\n<!-- hub sizing -->\\nnew\\n<!-- /hub sizing -->\\nb'
    """
    pattern = re.compile(re.escape(BEGIN) + r"\n.*?" + re.escape(END), re.S)
    found = len(pattern.findall(text))
    if found != 1:
        raise SizingError(f"the guide must have one {BEGIN} ... {END} block, it has {found}")
    return pattern.sub(lambda _: f"{BEGIN}\n{table}{END}", text)


def main(argv: list[str] | None = None) -> None:
    """Prints the sizing table for the last results, or writes it into class.md (``--update-guide``).

    Parameters
    ----------
    argv : list of str, optional
        The command-line arguments (``sys.argv[1:]`` when None).

    Examples
    --------
    >>> main([])  # doctest: +ELLIPSIS
    Sizing table: ...
    """
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--results", type=Path, default=RESULTS, help="the results file (benchmarks/hub.py's)")
    parser.add_argument("--update-guide", action="store_true", help=f"write the table into {GUIDE.name}")
    args = parser.parse_args(argv)
    table = sizing_table(json.loads(args.results.read_text())["quoted"])
    if args.update_guide:
        GUIDE.write_text(replace_block(GUIDE.read_text(), table))
        print(f"written into {GUIDE.relative_to(ROOT)}")
    else:
        sys.stdout.write(table)


__all__ = ["Assumptions", "Nodes", "Row", "SizingError", "plan", "sizing_table", "replace_block", "main"]

if __name__ == "__main__":
    main()
