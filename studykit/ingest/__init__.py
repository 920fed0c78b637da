"""`studykit ingest`: a reading (.txt, .md, .html) in, a folder of draft notes out.

sources.py reads the file and turns each format's parser output into a title and sections:
plaintext.py (its headings by what frames them, plain_frames.py, by their numbering,
plain_series.py, and by how they read, plain_headings.py), markdown.py and webpage.py (what frames
a page, page_frame.py, its bylines and abstracts, abstracts.py, the walk of its text,
page_reader.py, and inline text, inline_text.py) find headings and paragraphs; sections.py names
the sections, their titles without numbers or capitals (titles.py). draft_notes.py drafts each
section from its sentences (sentences.py), weighed by sentence_scoring.py: a summary
(summaries.py, naming the topics of topics.py), points (points.py) with a cloze where one is fair
(cloze_choice.py, passing over side details, cloze_asides.py, sentences that lean on something
before, leaning_back.py, and text no card may cut, hidden_text.py), terms from defining
sentences (term_cards.py over definitions.py, whose patterns are split by kind: acronyms.py,
appositives.py, subject_definitions.py, bold_terms.py, over definition_text.py) and questions
from answering ones (question_cards.py over questions.py); yaml_writer.py writes them as YAML
and folder.py puts the folder in place atomically. pipeline.py runs them in that order.
"""
