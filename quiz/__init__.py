"""ims-quiz: a terminal trainer for Gunn Intramuscular Stimulation (IMS)."""

__version__ = "0.1.0"
