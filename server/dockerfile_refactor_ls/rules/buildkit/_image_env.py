"""The environment official base images set with ``ENV``, for UndefinedVar to know an image's
environment without pulling it (not a rule: the underscore keeps it out of the registry).

Names come from the images' published Dockerfiles (docker-library). BuildKit adds ``PATH`` to every
Linux image that lacks it. The table only has to be a subset of the truth: UndefinedVar still
never reports a name from its list of variables common in base images (``COMMON_IMAGE_ENV``)
unless the stage starts from ``scratch``.
"""

from __future__ import annotations

from ...engine.model import ImageRef

_JAVA = "JAVA_HOME LANG LANGUAGE LC_ALL JAVA_VERSION"
_PYTHON = (
    "LANG GPG_KEY PYTHON_VERSION PYTHON_SHA256 PYTHON_PIP_VERSION PYTHON_SETUPTOOLS_VERSION "
    "PYTHON_GET_PIP_URL PYTHON_GET_PIP_SHA256"
)

_BY_REPOSITORY: dict[str, str] = {
    "alpine": "",
    "busybox": "",
    "debian": "",
    "ubuntu": "",
    "centos": "",
    "rockylinux": "",
    "almalinux": "",
    "amazonlinux": "",
    "golang": "GOLANG_VERSION GOTOOLCHAIN GOPATH",
    "node": "NODE_VERSION YARN_VERSION",
    "python": _PYTHON,
    "eclipse-temurin": _JAVA,
    "openjdk": _JAVA,
    "amazoncorretto": _JAVA,
    "maven": _JAVA + " MAVEN_HOME MAVEN_CONFIG",
    "gradle": _JAVA + " GRADLE_HOME GRADLE_VERSION",
    "rust": "RUSTUP_HOME CARGO_HOME RUST_VERSION",
    "nginx": "NGINX_VERSION NJS_VERSION NJS_RELEASE PKG_RELEASE DYNPKG_RELEASE ACME_VERSION",
    "ruby": (
        "LANG RUBY_VERSION RUBY_MAJOR RUBY_DOWNLOAD_URL RUBY_DOWNLOAD_SHA256 GEM_HOME "
        "BUNDLE_SILENCE_ROOT_WARNING BUNDLE_APP_CONFIG"
    ),
    "php": (
        "PHPIZE_DEPS PHP_INI_DIR APACHE_CONFDIR APACHE_ENVVARS PHP_CFLAGS PHP_CPPFLAGS PHP_LDFLAGS "
        "GPG_KEYS PHP_VERSION PHP_URL PHP_ASC_URL PHP_SHA256"
    ),
}
_DISTROLESS = "SSL_CERT_FILE"


def image_env(image: ImageRef) -> frozenset[str] | None:
    """The ENV names of ``image`` (PATH included), or None when the image is not in the table."""
    if image.has_variables:
        return None
    if image.is_scratch:
        return frozenset({"PATH"})
    repo = image.repository
    if image.registry is None and repo in _BY_REPOSITORY:
        names = _BY_REPOSITORY[repo]
    elif image.registry == "gcr.io" and repo.startswith("distroless/"):
        names = _DISTROLESS
    else:
        return None
    return frozenset(names.split()) | {"PATH"}
