from ._testing import flagged


def test_unpinned() -> None:
    assert flagged("DL3028", "FROM ruby:3.3\nRUN gem install bundler rails:7.2\n") == ["gem install"]


def test_pinned_passes() -> None:
    for cmd in ("gem install bundler:2.5.22", "gem install rails -v 7.2.1", "gem install rails --version=7.2", "gem install $GEMS", "gem update --system"):
        assert flagged("DL3028", f"FROM ruby:3.3\nRUN {cmd}\n") == [], cmd


def test_build_options_after_double_dash_are_not_gems() -> None:
    for cmd in ("gem install bundler:2.0.1 -- --use-system-libraries=true",
                "gem install bundler:2.0.1 -- --use-system-libraries true",
                "gem install bundler --version=2.0.1"):
        assert flagged("DL3028", f"FROM ruby:3.3\nRUN {cmd}\n") == [], cmd
    assert flagged("DL3028", "FROM ruby:3.3\nRUN gem install rails -- --with-x\n") == ["gem install"]


def test_an_unknown_flag_takes_the_next_word() -> None:
    for cmd in ("gem install bundler:2.0.1 --use-system-libraries true",
                "gem install bundler:2.0.1 --use-system-libraries=true"):
        assert flagged("DL3028", f"FROM ruby:3.3\nRUN {cmd}\n") == [], cmd


def test_switches_take_no_value() -> None:
    for cmd in ("gem install --no-document rails", "gem install -N rails", "gem install --conservative --minimal-deps rails"):
        assert flagged("DL3028", f"FROM ruby:3.3\nRUN {cmd}\n") == ["gem install"], cmd
    assert flagged("DL3028", "FROM ruby:3.3\nRUN gem install --no-document rails:7.2.1\n") == []
