# Stand-in for ruby:<v>-slim: Ruby and Bundler without compilers or headers.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ruby bundler ca-certificates \
 && rm -rf /var/lib/apt/lists/*
ENV GEM_HOME=/usr/local/bundle BUNDLE_SILENCE_ROOT_WARNING=1 BUNDLE_APP_CONFIG=/usr/local/bundle LANG=C.UTF-8
ENV PATH=/usr/local/bundle/bin:$PATH
RUN mkdir -p "$GEM_HOME" && chmod 1777 "$GEM_HOME"
CMD ["irb"]
