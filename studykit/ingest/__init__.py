"""`studykit ingest`: a reading (.txt, .md, .html) in, a folder of draft notes out.

sources.py reads the file and turns each format's parser output into a title and sections;
plaintext.py, markdown.py and webpage.py find headings and paragraphs; sections.py names the
sections, their titles without numbers or capitals (titles.py); draft_notes.py drafts
summaries and points from the sentences (sentences.py), terms from defining sentences
(definitions.py) and questions from answering ones (questions.py);
yaml_writer.py writes them as YAML and folder.py puts the folder in place atomically.
pipeline.py runs them in that order.
"""
