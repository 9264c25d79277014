"""Answering questions over the index, the command line, and the settings that wire every stage."""
