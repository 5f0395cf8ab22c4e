# Stand-in for ruby:<v> (docker-library/ruby, on buildpack-deps): Ruby, Bundler and the headers native
# gems build against; GEM_HOME and BUNDLE_APP_CONFIG as the official image sets them. Debian bookworm's
# Ruby is 3.1.
FROM buildpack-deps:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends ruby ruby-dev bundler \
 && rm -rf /var/lib/apt/lists/*
ENV GEM_HOME=/usr/local/bundle BUNDLE_SILENCE_ROOT_WARNING=1 BUNDLE_APP_CONFIG=/usr/local/bundle LANG=C.UTF-8
ENV PATH=/usr/local/bundle/bin:$PATH
RUN mkdir -p "$GEM_HOME" && chmod 1777 "$GEM_HOME"
CMD ["irb"]
