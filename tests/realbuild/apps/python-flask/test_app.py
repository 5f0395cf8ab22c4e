"""Run by the testStage variant (docker build --target test) with unittest, which ships with Python."""

import os
import tempfile
import unittest

import app


class NotesTest(unittest.TestCase):
    def setUp(self) -> None:
        self.dir = tempfile.TemporaryDirectory()
        app.DB = os.path.join(self.dir.name, "data", "notes.db")
        self.client = app.app.test_client()

    def tearDown(self) -> None:
        self.dir.cleanup()

    def test_added_notes_are_listed(self) -> None:
        self.assertEqual(self.client.get("/add?text=milk").data, b"added\n")
        self.assertEqual(self.client.get("/").data, b"notes: milk\n")


if __name__ == "__main__":
    unittest.main()
