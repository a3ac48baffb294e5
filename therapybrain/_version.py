"""The package's version, in a module of its own so that the lower layers (the atlas store's digest)
read it without importing the package, which imports every layer.

Examples
--------
>>> __version__.count(".")
2
"""

__version__ = "0.1.0"
