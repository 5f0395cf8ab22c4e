"""Java: Maven and Gradle (wrappers too) in the image's real WORKDIR; the jar `java -jar` runs."""

from __future__ import annotations

import json
import posixpath
import re
from typing import TYPE_CHECKING

from ....engine.shell import script_words
from ....engine.text import Span
from ..._toolchains import SHELL_NAMES, resolve, within
from .. import runtimes as rti
from ..analysis import Analysis, Artifact, Cmd, NotOffered, Toolchain

if TYPE_CHECKING:
    from ..plan import Plan

_MAVEN_PHASES = frozenset(("package", "install", "verify", "deploy", "spring-boot:repackage"))
_GRADLE_TASKS = frozenset(("build", "bootJar", "assemble", "jar", "shadowJar"))


def detect(a: Analysis, plan: Plan) -> Toolchain | None:
    if a.repository not in rti.JAVA_TOOLCHAIN_IMAGES:
        return None
    javac = _javac(a, plan)
    if javac is not None:
        return javac
    builds: list[tuple[Cmd, str]] = []
    for c in a.all_cmds():
        vals = c.values()
        if c.name in ("mvn", "mvnw") and any(v in _MAVEN_PHASES or v.endswith(":repackage") for v in vals):
            f = c.cmd.flag_values("f", "file")
            proj = posixpath.dirname(c.path(f[0]) or "") if f else c.cwd
            if proj:
                builds.append((c, posixpath.join(proj, "target")))
        elif c.name in ("gradle", "gradlew") and any(v.split(":")[-1] in _GRADLE_TASKS for v in vals):
            p = c.cmd.flag_values("p", "project-dir")
            proj = c.path(p[0]) if p else c.cwd
            if proj:
                builds.append((c, posixpath.join(proj, "build", "libs")))
    if not builds:
        return None
    major = rti.java_major(a.repository, a.image.tag)
    if major is None:
        raise NotOffered("the builder image does not say which JDK it has")
    c, outdir = builds[-1]
    shadow = any(v.split(":")[-1] == "shadowJar" for v in c.values())
    final_wd = a.final.workdir or "/"
    dest = posixpath.join(final_wd, "app.jar")
    src = posixpath.join(outdir, "*-all.jar" if shadow else "*.jar")
    tc = Toolchain(
        "Java (Maven)" if "target" in outdir else "Java (Gradle)", [c.index], [], lambda s, f: None
    )
    jar = java_entry(plan, tc, outdir, dest)
    if jar is not None:
        src = jar
        if not within(jar, outdir):
            dest = jar  # the build copied the jar somewhere itself: keep it there
    tc.artifacts = [Artifact(src, dest)]
    alpine = a.tag.alpine is not None or "alpine" in (a.image.tag or "")

    def runtime(shell: bool, family: str | None) -> rti.RuntimeImage | None:
        return rti.java_runtime(major, alpine)

    tc.runtime = runtime
    _finish(a, tc, major, alpine)
    tc.copy_context_dirs = [c.cwd] if c.cwd else []
    return tc


def _finish(a: Analysis, tc: Toolchain, major: int, alpine: bool) -> None:
    jre = rti.java_runtime(major, alpine)
    if jre is None:
        raise NotOffered(f"no JRE image for Java {major}")
    tc.tools = jre.tools
    tc.native = False
    if not alpine and a.repository == "openjdk" and (a.tag.version or (0,))[0] >= 12 and not a.tag.parts:
        a.family = "microdnf"  # openjdk:<12+> without a variant is Oracle Linux
    elif a.repository == "openjdk" and not alpine:
        a.family = "apt"  # openjdk:<=11 and the -slim/-buster variants are Debian
    elif a.repository == "amazoncorretto" and not alpine:
        a.family = "yum"


def _javac(a: Analysis, plan: Plan) -> Toolchain | None:
    """Plain ``javac -d <dir>`` (and ``jar`` packaging): the classes or the jar the CMD's ``java`` runs."""
    compiles = [c for c in a.all_cmds() if c.name == "javac"]
    if not compiles:
        return None
    artifacts: list[Artifact] = []
    for c in compiles:
        d = c.cmd.flag_values("d")
        out = c.path(d[0]) if d else None
        if out is None:
            raise NotOffered("cannot tell where javac writes the classes (no -d)")
        artifacts.append(Artifact(out, out, True))
    indexes = [c.index for c in compiles]
    for c in a.all_cmds():
        vals = c.values()
        if c.name == "jar" and vals and vals[0].lstrip("-").startswith(("c", "u")) and "f" in vals[0]:
            target = c.path(vals[1]) if len(vals) > 1 else None
            if target is None:
                raise NotOffered("cannot tell which jar `jar` writes")
            artifacts = [Artifact(target, target)]
            indexes.append(c.index)
    entries = a.entries(plan.runtime_side())
    if not any(posixpath.basename(e.exe) == "java" for e in entries):
        raise NotOffered("CMD/ENTRYPOINT does not run java")
    major = rti.java_major(a.repository, a.image.tag)
    if major is None:
        raise NotOffered("the builder image does not say which JDK it has")
    alpine = a.tag.alpine is not None or "alpine" in (a.image.tag or "")
    tc = Toolchain(
        "Java (javac)",
        sorted(set(indexes)),
        artifacts,
        lambda s, f: rti.java_runtime(major, alpine),
        copy_context_dirs=[c.cwd for c in compiles if c.cwd],
    )
    _finish(a, tc, major, alpine)
    return tc


def java_entry(plan: Plan, tc: Toolchain, outdir: str, dest: str) -> str | None:
    """Adapt ``java -jar <jar>`` (or ``mvn spring-boot:run``) in CMD/ENTRYPOINT; the jar it names."""
    found: str | None = None
    adapted = False
    wd_final = plan.a.final.workdir or "/"
    rel_dest = posixpath.relpath(dest, wd_final) if within(dest, wd_final) else dest
    for ins in plan.runtime_side():
        if ins.cmd not in ("cmd", "entrypoint"):
            continue
        idx = plan.a.index_of(ins)
        wd = (plan.a.states[idx].workdir if idx is not None else None) or "/"
        if ins.json:
            vals = [t.value for t in ins.args]
            if vals and posixpath.basename(vals[0]) == "java" and "-jar" in vals[:-1]:
                k = vals.index("-jar") + 1
                jar = vals[k]
                if "$" in jar:
                    raise NotOffered("the jar in CMD/ENTRYPOINT is a variable")
                p = resolve(wd, jar)
                if within(p, outdir) or "*" in jar:
                    if "*" not in jar:
                        found = p
                    new = rel_dest if not jar.startswith("/") else dest
                    tc.rewrites.append((ins, ins.args[k].span, json.dumps(new)))
                else:
                    found = p
                adapted = True
            elif vals and runs_from_build_tool(vals):
                tc.rewrites.append(
                    (ins, ins.args_span, json.dumps(["java", "-jar", rel_dest]).replace('","', '", "'))
                )
                adapted = True
        script: tuple[str, Span] | None = None
        if not ins.json:
            script = (ins.args_text, ins.args_span)
        elif (
            len(ins.args) == 3
            and posixpath.basename(ins.args[0].value) in SHELL_NAMES
            and ins.args[1].value == "-c"
        ):
            tok = ins.args[2]
            if len(tok.span) == len(tok.value) + 2:  # no JSON escapes: the value maps 1:1
                script = (tok.value, Span(tok.span.start + 1, tok.span.end - 1))
        if script is not None:
            words = script_words(script[0])
            region = script[1]
            if "java" in [posixpath.basename(w) for w in words] and "-jar" in words[:-1]:
                k = words.index("-jar") + 1
                jar = words[k]
                if "$" in jar or "'" in jar or '"' in jar:
                    raise NotOffered("the jar in CMD/ENTRYPOINT is not a plain path")
                p = resolve(wd, jar)
                if within(p, outdir) or "*" in jar:
                    if "*" not in jar:
                        found = p
                    m = re.search(
                        r"(?<=\s)" + re.escape(jar) + r"(?=\s|$)",
                        plan.text[region.start : region.end],
                    )
                    if m is None:
                        raise NotOffered("cannot locate the jar in CMD")
                    s = region.start + m.start()
                    new = rel_dest if not jar.startswith("/") else dest
                    tc.rewrites.append((ins, Span(s, s + len(jar)), new))
                else:
                    found = p
                adapted = True
            elif words and not ins.json and runs_from_build_tool(words):
                tc.rewrites.append((ins, ins.args_span, f"java -jar {rel_dest}"))
                adapted = True
    if not adapted:
        raise NotOffered("CMD/ENTRYPOINT does not run the built jar (java -jar ...)")
    return found


def runs_from_build_tool(words: list[str]) -> bool:
    name = posixpath.basename(words[0]) if words else ""
    rest = words[1:]
    if name in ("mvn", "mvnw"):
        return "spring-boot:run" in rest
    if name in ("gradle", "gradlew"):
        return "bootRun" in rest
    return False


