"""Teaching simulations: toy data that show a method's logic, never real results.

Each module here makes *simulated* data (every figure says SIMULATED) to let students try a
method the course discusses: :mod:`learning` (Hebbian learning, LTP and LTD in a toy network),
:mod:`morphometry` (a voxel-based morphometry study), :mod:`prediction` (predicting who responds
to therapy) and :mod:`headlines` (checking a brain headline against the atlas). They build on the
atlas core (:mod:`therapybrain.atlases`, :mod:`therapybrain.regions`) and are imported on demand,
so ``import therapybrain`` stays light.

Examples
--------
>>> from therapybrain.simulations import learning
>>> learning.__name__
'therapybrain.simulations.learning'
"""
