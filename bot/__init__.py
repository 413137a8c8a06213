"""Relais Droits: a chatbot that helps residents of Brest's priority neighbourhoods claim their rights."""

__version__ = "0.1.0"
