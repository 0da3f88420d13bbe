"""guidegen: curated YAML about legal processes into accessible HTML pages and tagged PDFs."""

__version__ = "0.1.0"
