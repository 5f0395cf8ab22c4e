"""BuildKit's own lint test cases (moby/buildkit ``frontend/dockerfile/dockerfile_check_test.go``),
ported as behaviour: each case is a Dockerfile (and .dockerignore) with the warnings BuildKit
expects, by rule, line and message. They run through the whole diagnosis (``diagnose``), so the
``# check=`` directive and comments, experimental checks and severities are exercised as well.

Not ported: the cases that configure the checks with the ``BUILDKIT_DOCKERFILE_CHECK`` build
argument (an editor does not see build arguments) and ``testBaseImagePlatformMismatch`` (it pushes
an image to a registry and pulls it back). Where a case's lines differ from BuildKit's, the case
says why.
"""

from __future__ import annotations

import re

import pytest

from ...engine.findings import Severity
from ...engine.model import Dockerfile
from ...engine.settings import Settings
from ..analysis import buildkit_codes, diagnose

_TWIN_NOTE = re.compile(r" \(also hadolint [^)]*\)$")
Warning = tuple[str, int, str]  # rule, 1-based line, message


def warnings(dockerfile: str, dockerignore: str | None = None) -> list[Warning]:
    doc = Dockerfile(dockerfile)
    codes = buildkit_codes()
    out = [
        # BuildKit's message; a finding merged with its hadolint twin names the twin at the end.
        (f.code, doc.lines.line_of(f.span.start) + 1, _TWIN_NOTE.sub("", f.message))
        for f in diagnose(doc, Settings(), dockerignore)
        if f.code in codes
    ]
    return sorted(out, key=lambda w: (w[1], w[2]))


def case(name: str, dockerfile: str, expected: list[Warning], dockerignore: str | None = None) -> object:
    return pytest.param(dockerfile, dockerignore, sorted(expected, key=lambda w: (w[1], w[2])), id=name)


IDD = "InvalidDefinitionDescription"
CIF = "CopyIgnoredFile"
SEC = "SecretsUsedInArgOrEnv"
UV = "UndefinedVar"
CIC = "ConsistentInstructionCasing"
FAC = "FromAsCasing"
JSON = "JSONArgsRecommended"


def _sec(line: int, kind: str, key: str) -> Warning:
    return (SEC, line, f'Do not use ARG or ENV instructions for sensitive data ({kind} "{key}")')


def _jsonargs(line: int, name: str) -> Warning:
    return (JSON, line, f"JSON arguments recommended for {name} to prevent unintended behavior related to OS signals")


def _mid(name: str, line: int) -> Warning:
    return (
        "MultipleInstructionsDisallowed",
        line,
        f"Multiple {name} instructions should not be used in the same stage because only the last one will be used",
    )


def _legacy(name: str, line: int) -> Warning:
    return ("LegacyKeyValueFormat", line, f'"{name} key=value" should be used instead of legacy "{name} key value" format')


def _casing(line: int, cmd: str, casing: str) -> Warning:
    return (CIC, line, f"Command '{cmd}' should match the case of the command majority ({casing})")


FROM_AS = (FAC, 2, "'as' and 'FROM' keywords' casing do not match")

CASES = [
    # testDefinitionDescription
    case(
        "definition-description/valid",
        "# check=skip=all;experimental=InvalidDefinitionDescription\n# foo this is the foo\nARG foo=bar\n\n"
        "# base this is the base image\nFROM scratch AS base\n\n# version this is the version number\n"
        "ARG version=latest\n\n# baz this is the baz\nARG foo=baz bar=qux baz=quux\n#\nARG bit=bat\n\n"
        "# comment for something other than ARG or FROM\nCOPY Dockerfile .\n",
        [],
    ),
    case(
        "definition-description/invalid",
        "# check=experimental=InvalidDefinitionDescription\n# bar this is the bar\nARG foo=bar\n"
        "# BasE this is the BasE image\nFROM scratch AS base\n# definitely a bad comment\nARG version=latest\n"
        "# definitely a bad comment\nARG foo=baz bar=qux baz=quux\n",
        [
            (IDD, 3, "Comment for ARG should follow the format: `# foo <description>`"),
            (IDD, 5, "Comment for FROM should follow the format: `# base <description>`"),
            (IDD, 7, "Comment for ARG should follow the format: `# version <description>`"),
            (IDD, 9, "Comment for ARG should follow the format: `# <arg_key> <description>`"),
        ],
    ),
    # testCopyIgnoredFiles
    case(
        "copy-ignored/copy-and-add",
        "\nFROM scratch\nCOPY Dockerfile .\nADD Dockerfile /windy\n",
        [
            (CIF, 3, 'Attempting to Copy file "Dockerfile" that is excluded by .dockerignore'),
            (CIF, 4, 'Attempting to Add file "Dockerfile" that is excluded by .dockerignore'),
        ],
        dockerignore="\nDockerfile\n",
    ),
    case(
        "copy-ignored/skipped",
        "# check=skip=CopyIgnoredFile\n\nFROM scratch\nCOPY Dockerfile .\nADD Dockerfile /windy\n",
        [],
        dockerignore="\nDockerfile\n",
    ),
    case(
        "copy-ignored/copy-from-stage",
        "\nFROM scratch AS base\nCOPY Dockerfile /foobar\nADD Dockerfile /windy\n\nFROM base\n"
        "COPY --from=base /foobar /Dockerfile\n",
        [],
        dockerignore="\nfoobar\n",
    ),
    case(
        "copy-ignored/re-included",
        "\nFROM scratch\nCOPY ./Dockerfile .\n",
        [],
        dockerignore="\n**\n!Dockerfile\n",
    ),
    case("copy-ignored/directory", "\nFROM scratch\nCOPY . .\n\t", [], dockerignore="\n**\n!Dockerfile\n"),
    # testCopyIgnoredFileContextRoot
    case("copy-ignored-root/dotfiles", "\nFROM scratch\nCOPY . .\n", [], dockerignore="\n.*\n"),
    case(
        "copy-ignored-root/wildcard",
        "\nFROM scratch\nCOPY . .\n",
        [(CIF, 3, 'Attempting to Copy file "." that is excluded by .dockerignore')],
        dockerignore="\n*\n",
    ),
    # testSecretsUsedInArgOrEnv
    case(
        "secrets",
        "# check=skip=InvalidDefinitionDescription\n\nFROM scratch\nARG SECRET_PASSPHRASE\nENV SUPER_Secret=foo\n"
        "ENV password=bar secret=baz\nARG super_duper_secret_token=foo auth=bar\nENV apikey=bar sunflower=foo\n"
        "ENV git_key=\nENV PUBLIC_KEY=\nARG public_token\nARG SECRET_PASSPHRASE_FILE\n"
        "ENV password_file=bar secret_File=baz\nARG AUTH_MODULE_VERSION\n"
        "# check=skip=SecretsUsedInArgOrEnv // allow secret in environment\nENV password=bar\n"
        "# check=skip=SecretsUsedInArgOrEnv // allow secret in arg\nARG password\n"
        "# check=skip=all // is local to only this instruction\nENV alternate_password=bar\n"
        "# check=skip=all // is local to only this instruction\nARG alternate_password\n",
        [
            _sec(4, "ARG", "SECRET_PASSPHRASE"),
            _sec(5, "ENV", "SUPER_Secret"),
            _sec(6, "ENV", "password"),
            _sec(6, "ENV", "secret"),
            _sec(7, "ARG", "auth"),
            _sec(7, "ARG", "super_duper_secret_token"),
            _sec(8, "ENV", "apikey"),
            _sec(9, "ENV", "git_key"),
        ],
    ),
    # testAllTargetUnmarshal: `docker build --check` (the lint subrequest) reports every stage.
    case(
        "all-targets",
        "\nFROM scratch AS first\nCOPY $foo .\n\nFROM scratch AS second\nCOPY $bar .\n",
        [(UV, 3, "Usage of undefined variable '$foo'"), (UV, 6, "Usage of undefined variable '$bar'")],
    ),
    # testRuleCheckOption
    case("check-option/skip-all", "#check=skip=all\nFROM scratch as base\ncopy Dockerfile .\n", []),
    case("check-option/skip-all-error", "#check=skip=all;error=true\nFROM scratch as base\ncopy Dockerfile .\n", []),
    case(
        "check-option/skip-two",
        "#check=skip=ConsistentInstructionCasing,FromAsCasing\nFROM scratch as base\ncopy Dockerfile .\n",
        [],
    ),
    case(
        "check-option/skip-two-error",
        "#check=skip=ConsistentInstructionCasing,FromAsCasing;error=true\nFROM scratch as base\ncopy Dockerfile .\n",
        [],
    ),
    case(
        "check-option/skip-one",
        "#check=skip=ConsistentInstructionCasing\nFROM scratch as base\ncopy Dockerfile .\n",
        [FROM_AS],
    ),
    case(
        "check-option/skip-one-error",
        "#check=skip=ConsistentInstructionCasing;error=true\nFROM scratch as base\ncopy Dockerfile .\n",
        [FROM_AS],
    ),
    # testStageName
    case(
        "stage-name/upper",
        "\n# warning: stage name should be lowercase\n#\nFROM scratch AS BadStageName\n\n"
        "# warning: 'as' should match 'FROM' cmd casing.\n#\nFROM scratch as base2\n\nFROM scratch AS base3\n",
        [
            ("StageNameCasing", 4, "Stage name 'BadStageName' should be lowercase"),
            (FAC, 8, "'as' and 'FROM' keywords' casing do not match"),
        ],
    ),
    case(
        "stage-name/lower",
        "\n# warning: 'AS' should match 'from' cmd casing.\n#\nfrom scratch AS base\n\nfrom scratch as base2\n",
        [(FAC, 4, "'AS' and 'from' keywords' casing do not match")],
    ),
    # testNoEmptyContinuation: BuildKit puts the warning on the instruction's last line (6); we put
    # it on the empty line itself (5), where the quick fix deletes it.
    case(
        "no-empty-continuation",
        "\nFROM scratch\n# warning: empty continuation line\nCOPY Dockerfile \\\n\n.\nCOPY Dockerfile \\\n.\n",
        [("NoEmptyContinuation", 5, "Empty continuation line")],
    ),
    # testConsistentInstructionCasing
    case(
        "casing/mixed-from",
        "\n# warning: 'FROM' should be either lowercased or uppercased\n#\nFrom scratch as base\nFROM scratch AS base2\n",
        [_casing(4, "From", "uppercase")],
    ),
    case(
        "casing/lower-copy",
        "\nFROM scratch\n# warning: 'copy' should match command majority's casing (uppercase)\n"
        "copy Dockerfile /foo\nCOPY Dockerfile /bar\n",
        [_casing(4, "copy", "uppercase")],
    ),
    case(
        "casing/mixed-lower-majority",
        "\n# warning: 'frOM' should be either lowercased or uppercased\n#\nfrOM scratch as base\nfrom scratch as base2\n",
        [_casing(4, "frOM", "lowercase")],
    ),
    case(
        "casing/upper-copy",
        "\nfrom scratch\n# warning: 'COPY' should match command majority's casing (lowercase)\n"
        "COPY Dockerfile /foo\ncopy Dockerfile /bar\n",
        [_casing(4, "COPY", "lowercase")],
    ),
    case(
        "casing/lower-from",
        "\n# warning: 'from' should match command majority's casing (uppercase)\n#\nfrom scratch\n"
        "COPY Dockerfile /foo\nCOPY Dockerfile /bar\nCOPY Dockerfile /baz\n",
        [_casing(4, "from", "uppercase")],
    ),
    case(
        "casing/upper-from",
        "\n# warning: 'FROM' should match command majority's casing (lowercase)\n#\nFROM scratch\n"
        "copy Dockerfile /foo\ncopy Dockerfile /bar\ncopy Dockerfile /baz\n",
        [_casing(4, "FROM", "lowercase")],
    ),
    case("casing/all-lower", "\nfrom scratch\ncopy Dockerfile /foo\ncopy Dockerfile /bar\n", []),
    case("casing/all-upper", "\nFROM scratch\nCOPY Dockerfile /foo\nCOPY Dockerfile /bar\n", []),
    case("casing/heredoc", "\nFROM alpine\nRUN <<'EOT'\nenv\nEOT\n", []),
    # testDuplicateStageName
    case(
        "duplicate-stage-name",
        "\nFROM scratch AS b\nFROM scratch AS b\n",
        [("DuplicateStageName", 3, 'Duplicate stage name "b", stage names should be unique')],
    ),
    case("duplicate-stage-name/unique", "\nFROM scratch AS b1\nFROM scratch AS b2\n", []),
    # testReservedStageName
    case(
        "reserved-stage-name",
        "\nFROM scratch AS scratch\nFROM scratch AS context\n",
        [
            ("ReservedStageName", 2, 'Stage name should not use the same name as reserved stage "scratch"'),
            ("ReservedStageName", 3, 'Stage name should not use the same name as reserved stage "context"'),
        ],
    ),
    case("reserved-stage-name/unnamed", "\nFROM scratch\nFROM scratch AS a\n", []),
    # testJSONArgsRecommended
    case("json-args/cmd", "\nFROM scratch\nCMD mycommand\n", [_jsonargs(3, "CMD")]),
    case("json-args/entrypoint", "\nFROM scratch\nENTRYPOINT mycommand\n", [_jsonargs(3, "ENTRYPOINT")]),
    case("json-args/shell-cmd", '\nFROM scratch\nSHELL ["/usr/bin/customshell"]\nCMD mycommand\n', []),
    case("json-args/shell-entrypoint", '\nFROM scratch\nSHELL ["/usr/bin/customshell"]\nENTRYPOINT mycommand\n', []),
    case(
        "json-args/inherited-shell-cmd",
        '\nFROM scratch AS base\nSHELL ["/usr/bin/customshell"]\n\nFROM base\nCMD mycommand\n',
        [],
    ),
    case(
        "json-args/inherited-shell-entrypoint",
        '\nFROM scratch AS base\nSHELL ["/usr/bin/customshell"]\n\nFROM base\nENTRYPOINT mycommand\n',
        [],
    ),
    # testMaintainerDeprecated
    case(
        "maintainer",
        "\nFROM scratch\nMAINTAINER me@example.org\n",
        [("MaintainerDeprecated", 3, "Maintainer instruction is deprecated in favor of using label")],
    ),
    case("maintainer/label", '\nFROM scratch\nLABEL org.opencontainers.image.authors="me@example.org"\n', []),
    case("check-comment/cmd", "\nFROM scratch\n# check=skip=JSONArgsRecommended\nCMD mycommand\n", []),
    case("check-comment/entrypoint", "\nFROM scratch\n# check=skip=JSONArgsRecommended\nENTRYPOINT mycommand\n", []),
    case("check-comment/maintainer", "\nFROM scratch\n# check=skip=MaintainerDeprecated\nMAINTAINER me@example.org\n", []),
    # testWarningsBeforeError: the warnings before the unknown instruction are still reported.
    case(
        "warnings-before-error",
        "\nFROM scratch AS BadStageName\nMAINTAINER me@example.org\nBADCMD\n",
        [
            ("StageNameCasing", 2, "Stage name 'BadStageName' should be lowercase"),
            ("MaintainerDeprecated", 3, "Maintainer instruction is deprecated in favor of using label"),
        ],
    ),
    # testUndeclaredArg
    case("undeclared-arg/base", "\nARG base=scratch\nFROM $base\nCOPY Dockerfile .\n", []),
    case(
        "undeclared-arg/declared-platform",
        "\nARG BUILDPLATFORM=linux/amd64\nFROM --platform=$BUILDPLATFORM scratch\nCOPY Dockerfile .\n",
        [],
    ),
    case("undeclared-arg/automatic-platform", "\nFROM --platform=$BUILDPLATFORM scratch\nCOPY Dockerfile .\n", []),
    case("undeclared-arg/empty", "\nARG DEBUG\nFROM scratch${DEBUG}\nCOPY Dockerfile .\n", []),
    case("undeclared-arg/default", "\nARG DEBUG\nFROM scra${DEBUG:-tch}\nCOPY Dockerfile .\n", []),
    case("undeclared-arg/alternative", '\nARG DEBUG=""\nFROM scratch${DEBUG-@bogus}\nCOPY Dockerfile .\n', []),
    case(
        "undeclared-arg/typo-platform",
        "\nFROM --platform=$BULIDPLATFORM scratch\nCOPY Dockerfile .\n",
        [("UndefinedArgInFrom", 2, "FROM argument 'BULIDPLATFORM' is not declared (did you mean BUILDPLATFORM?)")],
    ),
    case(
        "undeclared-arg/typo-arch",
        "\nARG MY_OS=linux\nARG MY_ARCH=amd64\nFROM --platform=linux/${MYARCH} busybox\nCOPY Dockerfile .\n\t",
        [("UndefinedArgInFrom", 4, "FROM argument 'MYARCH' is not declared (did you mean MY_ARCH?)")],
    ),
    case(
        "undeclared-arg/undeclared",
        "\nARG tag=latest\nFROM busybox:${tag}${version} AS b\nCOPY Dockerfile .\n",
        [("UndefinedArgInFrom", 3, "FROM argument 'version' is not declared")],
    ),
    # testWorkdirRelativePath
    case(
        "workdir/relative",
        "\nFROM scratch\nWORKDIR app/\n",
        [("WorkdirRelativePath", 3, 'Relative workdir "app/" can have unexpected results if the base image changes')],
    ),
    case("workdir/inherited", "\nFROM scratch AS a\nWORKDIR /app\n\nFROM a AS b\nWORKDIR subdir/\n", []),
    case("workdir/check-comment", "\nFROM scratch\n# check=skip=WorkdirRelativePath\nWORKDIR app/\n", []),
    # testUnmatchedVars
    case("unmatched/arg", "\nFROM scratch\nARG foo\nCOPY Dockerfile${foo} .\n", []),
    case("unmatched/inherited-arg", "\nFROM alpine AS base\nARG foo=Dockerfile\n\nFROM base\nCOPY $foo .\n", []),
    case("unmatched/run", "\nFROM alpine\nRUN echo $PATH\n", []),
    case(
        "unmatched/before-declaration",
        "\nFROM alpine\nCOPY $foo .\nARG foo=bar\nRUN echo $foo\n",
        [(UV, 3, "Usage of undefined variable '$foo'")],
    ),
    case(
        "unmatched/suggest-arg",
        "\nFROM alpine\nARG DIR_BINARIES=binaries/\nARG DIR_ASSETS=assets/\nARG DIR_CONFIG=config/\nCOPY $DIR_ASSET .\n\t",
        [(UV, 6, "Usage of undefined variable '$DIR_ASSET' (did you mean $DIR_ASSETS?)")],
    ),
    case(
        "unmatched/suggest-path",
        "\nFROM alpine\nENV PATH=$PAHT:/tmp/bin\n\t\t",
        [(UV, 3, "Usage of undefined variable '$PAHT' (did you mean $PATH?)")],
    ),
    # testMultipleInstructionsDisallowed
    case(
        "multiple-instructions",
        '\nFROM scratch\nENTRYPOINT ["/myapp"]\nENTRYPOINT ["/myotherapp"]\nCMD ["/myapp"]\nCMD ["/myotherapp"]\n'
        'HEALTHCHECK CMD ["/myapp"]\nHEALTHCHECK CMD ["/myotherapp"]\n',
        [_mid("ENTRYPOINT", 3), _mid("CMD", 5), _mid("HEALTHCHECK", 7)],
    ),
    case(
        "multiple-instructions/interleaved",
        '\nFROM scratch\nENTRYPOINT ["/myapp"]\nCMD ["/myapp"]\nHEALTHCHECK CMD ["/myapp"]\nCOPY <<EOF /a.txt\n'
        'Hello, World!\nEOF\nENTRYPOINT ["/myotherapp"]\nCMD ["/myotherapp"]\nHEALTHCHECK CMD ["/myotherapp"]\n',
        [_mid("ENTRYPOINT", 3), _mid("CMD", 4), _mid("HEALTHCHECK", 5)],
    ),
    case(
        "multiple-instructions/other-stage",
        '\nFROM scratch AS a\nENTRYPOINT ["/myapp"]\nCMD ["/myapp"]\nHEALTHCHECK CMD ["/myapp"]\n\nFROM a AS b\n'
        'ENTRYPOINT ["/myotherapp"]\nCMD ["/myotherapp"]\nHEALTHCHECK CMD ["/myotherapp"]\n',
        [],
    ),
    # testLegacyKeyValueFormat
    case(
        "legacy-key-value",
        "\nFROM scratch\nENV testkey value\nLABEL key value\n",
        [_legacy("ENV", 3), _legacy("LABEL", 4)],
    ),
    case("legacy-key-value/modern", "\nFROM scratch\nENV testkey=value\nLABEL key=value\n", []),
    case(
        "legacy-key-value/unreachable-stage",
        "\nFROM scratch AS a\n\nFROM a AS b\nENV testkey value\nLABEL key value\n\nFROM a AS c\n",
        [_legacy("ENV", 5), _legacy("LABEL", 6)],
    ),
    case(
        "legacy-key-value/check-comments",
        "\nFROM scratch\n# check=skip=LegacyKeyValueFormat\nENV testkey value\n# check=skip=LegacyKeyValueFormat\nLABEL key value\n",
        [],
    ),
    # testRedundantTargetPlatform
    case(
        "redundant-target-platform",
        "\nFROM --platform=$TARGETPLATFORM scratch\n",
        [
            (
                "RedundantTargetPlatform",
                2,
                "Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior",
            )
        ],
    ),
    case(
        "redundant-target-platform/braces",
        "\nFROM --platform=${TARGETPLATFORM} scratch\n",
        [
            (
                "RedundantTargetPlatform",
                2,
                "Setting platform to predefined ${TARGETPLATFORM} in FROM is redundant as this is the default behavior",
            )
        ],
    ),
    case("redundant-target-platform/skipped", "\n# check=skip=RedundantTargetPlatform\nFROM --platform=$TARGETPLATFORM scratch\n", []),
    # testInvalidDefaultArgInFrom (BuildKit passes --build-arg values there; the check itself only
    # uses the defaults, which is what is ported)
    case(
        "invalid-default-arg/tag",
        "\nARG VERSION\nFROM busybox:$VERSION\n",
        [("InvalidDefaultArgInFrom", 3, "Default value for ARG busybox:$VERSION results in empty or invalid base image name")],
    ),
    case(
        "invalid-default-arg/image",
        "\nARG IMAGE\nFROM $IMAGE\n",
        [("InvalidDefaultArgInFrom", 3, "Default value for ARG $IMAGE results in empty or invalid base image name")],
    ),
    case(
        "invalid-default-arg/suffix",
        '\nARG SFX="box:"\nFROM busy${SFX}\n',
        [("InvalidDefaultArgInFrom", 3, "Default value for ARG busy${SFX} results in empty or invalid base image name")],
    ),
    case("invalid-default-arg/valid", '\nARG VERSION="latest"\nFROM busybox:${VERSION}\n', []),
    case("invalid-default-arg/empty-variant", '\nARG BUSYBOX_VARIANT=""\nFROM busybox:stable${BUSYBOX_VARIANT}\n', []),
    case("invalid-default-arg/unset-variant", "\n\tARG BUSYBOX_VARIANT\n\tFROM busybox:stable${BUSYBOX_VARIANT}\n\t", []),
    # testFromPlatformFlagConstDisallowed
    case(
        "platform-const",
        "\nFROM --platform=linux/amd64 scratch\n",
        [("FromPlatformFlagConstDisallowed", 2, 'FROM --platform flag should not use constant value "linux/amd64"')],
    ),
    case("platform-const/arch-in-name", "\nFROM --platform=linux/amd64 scratch AS my_amd64_stage\n", []),
    case("platform-const/os-in-name", "\nFROM --platform=linux/amd64 scratch AS linux\n", []),
    # testExposeProtoCasing
    case(
        "expose-proto-casing",
        "\nFROM scratch\nEXPOSE 80/TcP 8080/TCP 8080/udp\n",
        [
            ("ExposeProtoCasing", 3, "Defined protocol '80/TcP' in EXPOSE instruction should be lowercase"),
            ("ExposeProtoCasing", 3, "Defined protocol '8080/TCP' in EXPOSE instruction should be lowercase"),
        ],
    ),
    # testExposeInvalidFormat
    case(
        "expose-invalid-format",
        "\nFROM scratch\nEXPOSE 127.0.0.1:80:80 [::1]:8080:8080 5000:5000 8000\n",
        [
            (
                "ExposeInvalidFormat",
                3,
                "EXPOSE instruction should not define an IP address or host-port mapping, found '127.0.0.1:80:80'",
            ),
            (
                "ExposeInvalidFormat",
                3,
                "EXPOSE instruction should not define an IP address or host-port mapping, found '[::1]:8080:8080'",
            ),
            (
                "ExposeInvalidFormat",
                3,
                "EXPOSE instruction should not define an IP address or host-port mapping, found '5000:5000'",
            ),
        ],
    ),
]


@pytest.mark.parametrize(("dockerfile", "dockerignore", "expected"), CASES)
def test_buildkit_case(dockerfile: str, dockerignore: str | None, expected: list[Warning]) -> None:
    assert warnings(dockerfile, dockerignore) == expected


def test_error_true_makes_buildkit_warnings_errors() -> None:
    # testRuleCheckOption: with error=true the same warning fails BuildKit's build.
    doc = Dockerfile("#check=skip=ConsistentInstructionCasing;error=true\nFROM scratch as base\ncopy Dockerfile .\n")
    found = [f for f in diagnose(doc, Settings()) if f.code == FAC]
    assert [f.severity for f in found] == [Severity.ERROR]
    plain = Dockerfile("#check=skip=ConsistentInstructionCasing\nFROM scratch as base\ncopy Dockerfile .\n")
    assert [f.severity for f in diagnose(plain, Settings()) if f.code == FAC] == [Severity.WARNING]

