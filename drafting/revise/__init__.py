"""Revising a draft after it was written: one section at a time, from an instruction, a manual edit
or the data again, with the checks after every change, undo and redo, pinned sentences, and every
accepted change saved atomically with its history in the draft file.

``session.RevisionSession`` is the library (no terminal code: a web workspace can drive it too);
the terminal loop is ``drafting.cli.revise_tui``. Submodules are imported directly, so importing this package stays light.
"""
