# Stand-in for gcc:<v> (docker-library/gcc, on buildpack-deps): gcc, g++, make. Debian bookworm's is 12.
FROM buildpack-deps:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends cmake \
 && rm -rf /var/lib/apt/lists/*
