"""Handouts and summaries: what a student prints or skims, derived from the same notes.

layout.py turns a reading into the Cornell handout's data and summary.py into the one-page
digest; inline.py parses notes text once into spans; markdown.py, html.py and pdf.py (typst,
templates/ as package data) render them; latex.py converts formulas, textrank.py extracts
automatic summaries, fonts.py finds characters no installed font can show, output.py writes
files whole. pack.py binds several readings into a course pack (contents, index of terms, works
cited) and pack_formats.py prints it, each reading through its own outline's renderer.
"""
