"""What Go builds share across refactorings: whether the sources need cgo (splitStages decides a
static build by it, crossPlatformBuilder whether ``CGO_ENABLED=0`` keeps the program the same)."""

from __future__ import annotations

import posixpath
import re

from ._context import BuildContext

# Modules that only build with cgo (a C library behind them).
CGO_MODULES = (
    "github.com/mattn/go-sqlite3",
    "github.com/mattn/go-oci8",
    "github.com/confluentinc/confluent-kafka-go",
    "gopkg.in/confluentinc/confluent-kafka-go",
    "github.com/DataDog/zstd",
    "github.com/valyala/gozstd",
    "github.com/google/gopacket/pcap",
    "github.com/tecbot/gorocksdb",
    "github.com/linxGnu/grocksdb",
    "github.com/libgit2/git2go",
    "github.com/ceph/go-ceph",
    "github.com/godror/godror",
    "github.com/gotk3/gotk3",
    "github.com/veandco/go-sdl2",
    "github.com/go-gl/",
    "fyne.io/fyne",
    "gopkg.in/gographics/imagick",
    "github.com/miekg/pkcs11",
    "github.com/go-vgo/robotgo",
    "github.com/bits-and-blooms/bloom/v3/cgo",
)
_IMPORT_C = re.compile(r'^\s*(?:import\s+)?"C"\s*$', re.M)


def cgo_free(ctx: BuildContext) -> bool:
    """The build context shows no cgo: Go sources without ``import "C"``, no cgo-only module."""
    if not ctx.known:
        return False
    sources = ctx.with_suffix(".go")
    if not sources or ctx.is_dir("vendor") or len(sources) > 2000:
        return False  # no sources to read, or vendored packages we do not list
    for rel in sources:
        text = ctx.read(rel)
        if text is None or _IMPORT_C.search(text):
            return False
    mods = " ".join(ctx.read(m) or "" for m in ctx.files() if posixpath.basename(m) in ("go.mod", "go.sum"))
    return not any(m in mods for m in CGO_MODULES)
