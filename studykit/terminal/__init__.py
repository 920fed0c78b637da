"""What the terminal shows: the notes rendered (`show`), the readings listed (`list`), tables
sized to the terminal, and the pager."""
