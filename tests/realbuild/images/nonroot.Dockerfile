# The distroless :nonroot tags: the same image with USER 65532 (user "nonroot" in its /etc/passwd).
ARG BASE
FROM ${BASE}
USER 65532:65532
