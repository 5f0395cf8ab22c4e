# Stand-in for distroless' :debug tags: the image plus a static BusyBox in /busybox (sh, ps, wget...),
# on PATH, as the entrypoint (GoogleContainerTools/distroless: the debug images add busybox there).
ARG BASE
FROM debian:bookworm-slim AS busybox
RUN apt-get update && apt-get install -y --no-install-recommends busybox-static && rm -rf /var/lib/apt/lists/* \
 && mkdir /busybox && cp /bin/busybox /busybox/busybox \
 && for applet in $(/busybox/busybox --list); do [ "$applet" = busybox ] || ln -s busybox "/busybox/$applet"; done
FROM ${BASE}
COPY --from=busybox /busybox /busybox
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/busybox
ENTRYPOINT ["/busybox/sh"]
