"""Document links: base images to their registry page, directives and rule names to their docs.

- ``FROM <image>`` and ``COPY --from=<image>`` (an image, not an earlier stage, with no
  ``$variables`` left): official images (``node``, ``library/node``, ``docker.io/node``) link to
  ``hub.docker.com/_/<name>``, other Docker Hub images to ``hub.docker.com/r/<namespace>/<name>``;
  ``ghcr.io``, ``mcr.microsoft.com``, ``quay.io``, ``public.ecr.aws``, ``gcr.io`` and
  ``registry.gitlab.com`` images link to those registries' own pages for the repository; any other
  registry host links to ``https://<host>/`` (local and IP-address registries get no link). The
  link covers the registry and repository name, not the tag or digest.
- ``# syntax=`` / ``# escape=`` / ``# check=``: the directive's name links to its reference
  section; a ``syntax`` image links like a base image; each check named in ``# check=skip=`` links
  to BuildKit's page for that check.
- ``# hadolint ignore=DL3008,...``: each rule id links to its documentation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .model import Dockerfile, ImageRef, parse_image_ref
from .rule_info import RuleInfo
from .text import Span

DIRECTIVE_DOCS = "https://docs.docker.com/reference/dockerfile/#"
BUILD_CHECKS_DOCS = "https://docs.docker.com/reference/build-checks/"

_HADOLINT_IGNORE = re.compile(r"#\s*hadolint\s+(?:global\s+)?ignore\s*=\s*", re.IGNORECASE)
_RULE_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_IP_HOST = re.compile(r"^\[?[0-9a-fA-F:.]+\]?(:\d+)?$")


@dataclass(frozen=True, slots=True)
class Link:
    span: Span
    target: str
    tooltip: str


def image_page(image: ImageRef) -> tuple[str, str] | None:
    """The web page of an image's repository and a tooltip, or None when there is none to name.

    Only the name has to be literal: ``golang:${GO_VERSION}`` is golang's page whatever the tag
    (a ``${VAR:-default}`` tag, whose ``:`` the split takes for the tag's, leaves ``$`` in the name)."""
    if "$" in image.name or image.is_scratch or not image.name:
        return None
    name = image.name.lower()
    registry = image.registry
    path = name if registry is None else name[len(registry) + 1 :]
    if registry in (None, "docker.io", "index.docker.io", "registry-1.docker.io"):
        if path.startswith("library/"):
            path = path[len("library/") :]
        if "/" not in path:
            return f"https://hub.docker.com/_/{path}", f"Docker Hub: official image {path}"
        return f"https://hub.docker.com/r/{path}", f"Docker Hub: {path}"
    assert registry is not None
    host = registry.lower()
    if host == "ghcr.io":
        if "/" not in path:
            return None
        return f"https://github.com/{path}/pkgs/container/{path.rsplit('/', 1)[1]}", f"GitHub Packages: {path}"
    if host == "mcr.microsoft.com":
        return f"https://mcr.microsoft.com/artifact/mar/{path}", f"Microsoft Artifact Registry: {path}"
    if host == "quay.io":
        return f"https://quay.io/repository/{path}", f"Quay: {path}"
    if host == "public.ecr.aws":
        return f"https://gallery.ecr.aws/{path}", f"Amazon ECR Public Gallery: {path}"
    if host == "gcr.io" or host.endswith(".gcr.io"):
        return f"https://{host}/{path}", f"Google Container Registry: {path}"
    if host == "registry.gitlab.com":
        return f"https://gitlab.com/{path}/container_registry", f"GitLab container registry: {path}"
    if host == "localhost" or host.startswith("localhost:") or _IP_HOST.match(host):
        return None
    return f"https://{host}/", f"Registry {host}"


def _image_link(image: ImageRef) -> Link | None:
    page = image_page(image)
    if page is None:
        return None
    return Link(image.name_span, page[0], page[1])


def _camel_to_kebab(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "-", name).lower()


def document_links(doc: Dockerfile, rules: Iterable[RuleInfo] = ()) -> list[Link]:
    """Every link in the document. ``rules``: those whose ids in suppression comments link to their
    docs (the feature hands in the registry's)."""
    by_code = {rule.code: rule for rule in rules}
    out: list[Link] = []
    text = doc.text
    for d in doc.parsed.directives:
        name = d.name.lower()
        out.append(Link(d.name_span, DIRECTIVE_DOCS + name, f"Dockerfile reference: the {name} directive"))
        if name == "syntax":
            value = d.value.strip()
            if value and " " not in value:
                image = parse_image_ref(value, Span(d.value_span.start, d.value_span.start + len(value)))
                link = _image_link(image)
                if link is not None:
                    out.append(link)
        elif name == "check":
            out += _check_links(doc, d.value_span, by_code)
    for stage in doc.stages:
        if stage.image is not None and stage.base_stage is None:
            link = _image_link(stage.image)
            if link is not None:
                out.append(link)
        for cf in stage.copies_from:
            value_span = cf.flag.value_span
            from_value = cf.flag.value
            if cf.stage is not None or from_value is None or value_span is None or from_value.isdigit():
                continue
            if text[value_span.start : value_span.end] != from_value:
                continue  # quoted or split over lines: no 1:1 mapping to the source
            link = _image_link(parse_image_ref(from_value, value_span))
            if link is not None:
                out.append(link)
    for comment in doc.parsed.comments:
        m = _HADOLINT_IGNORE.match(text, comment.start, comment.end)
        if m is None:
            continue
        for rid in _RULE_ID.finditer(text, m.end(), comment.end):
            rule = by_code.get(rid.group())
            if rule is not None and rule.url:
                out.append(Link(Span(rid.start(), rid.end()), rule.url, f"{rule.code}: rule documentation"))
    out.sort(key=lambda link: link.span.start)
    return out


def _check_links(doc: Dockerfile, value_span: Span, by_code: Mapping[str, RuleInfo]) -> list[Link]:
    out = []
    text = doc.text
    pos = value_span.start
    for field in text[value_span.start : value_span.end].split(";"):
        key, eq, value = field.partition("=")
        if eq and key.strip().lower() in ("skip", "experimental"):
            start = pos + len(key) + 1
            for m in _RULE_ID.finditer(value):
                name = m.group()
                if name.lower() == "all":
                    continue
                rule = by_code.get(name)
                if rule is not None and rule.origin != "buildkit":
                    continue
                span = Span(start + m.start(), start + m.end())
                out.append(Link(span, BUILD_CHECKS_DOCS + _camel_to_kebab(name) + "/", f"Build check {name}"))
        pos += len(field) + 1
    return out
