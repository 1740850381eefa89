"""The plugin's version, which its User-Agent announces to every site it reads."""

__version__ = "0.1.0"
