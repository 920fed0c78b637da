"""Choices that outlive a session, as the `settings` table keeps them (JSON by name)."""

from __future__ import annotations

from studykit.review.store.base import Connection


class Settings(Connection):
    """The store's settings."""

    def setting(self, name: str) -> str | None:
        """A setting's JSON, None when it was never set (or the store predates settings)."""
        if "settings" not in self._tables:
            return None
        with self._reading() as db:
            row = db.execute("SELECT value FROM settings WHERE name = ?", (name,)).fetchone()
        return None if row is None else str(row[0])

    def put_setting(self, name: str, value: str) -> None:
        with self._transaction() as db:
            db.execute("INSERT OR REPLACE INTO settings (name, value) VALUES (?, ?)", (name, value))
