"""pitchgen: coalition pitches drafted from a structured ask, checked, and reviewed."""

__version__ = "0.1.0"
