"""What the terminal shows of the notes: a reading rendered (`show`, and the cards `review`
shows), the terminal's width and the pager."""
