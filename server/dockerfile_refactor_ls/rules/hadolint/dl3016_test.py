from ._testing import flagged


def test_unpinned() -> None:
    assert flagged("DL3016", "FROM node:22\nRUN npm install -g typescript @angular/cli\n") == ["npm install"]


def test_pinned_and_project_installs_pass() -> None:
    for cmd in (
        "npm install",
        "npm install --production",
        "npm ci",
        "npm install -g typescript@5.6 @angular/cli@18",
        "npm install ./local-dir ../pkg.tgz",
        "npm install git+https://github.com/org/repo#v1.0",
        "npm install $PKG",
    ):
        assert flagged("DL3016", f"FROM node:22\nRUN {cmd}\n") == [], cmd


def test_option_values_are_not_packages() -> None:
    assert flagged("DL3016", "FROM node:22\nRUN npm install --loglevel verbose sax@0.1.1\n") == []
    assert flagged("DL3016", "FROM node:22\nRUN npm install --registry https://r.example sax\n") == ["npm install"]
