"""Checkstyle XML, as hadolint writes it (Jenkins' warnings-ng, GitLab and many CI tools read it)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from .base import Reporter
from .model import FileResult, Stats


class CheckstyleReporter(Reporter):
    """``<checkstyle version="4.3"><file name=…><error line column severity message source/>``.

    Every checked file gets a ``<file>`` element, as in hadolint, so a report also says what was
    checked; a file that could not be read gets one ``error`` with source ``dockerfile-refactor-ls``.
    """

    name = "checkstyle"

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self._root = ET.Element("checkstyle", version="4.3")

    def add(self, result: FileResult) -> None:
        node = ET.SubElement(self._root, "file", name=result.path)
        for e in result.entries:
            ET.SubElement(
                node,
                "error",
                line=str(e.line),
                column=str(e.column),
                severity=e.level,
                message=e.message,
                source=e.code,
            )
        if result.error is not None:
            ET.SubElement(
                node, "error", line="1", column="1", severity="error", message=result.error, source="dockerfile-refactor-ls"
            )

    def finish(self, stats: Stats) -> None:
        self.out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        self.out.write(ET.tostring(self._root, encoding="unicode"))
        self.out.write("\n")
