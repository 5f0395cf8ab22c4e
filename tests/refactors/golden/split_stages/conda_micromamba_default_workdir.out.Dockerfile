FROM mambaorg/micromamba:2.0.5 AS builder
COPY --chown=$MAMBA_USER:$MAMBA_USER env.yaml /tmp/env.yaml
RUN micromamba install -y -n base -f /tmp/env.yaml
RUN micromamba clean --all --yes

FROM mambaorg/micromamba:2.0.5
WORKDIR /tmp
COPY --from=builder --chown=$MAMBA_USER:$MAMBA_USER /opt/conda /opt/conda
COPY --from=builder /tmp/env.yaml /tmp/env.yaml
COPY --chown=$MAMBA_USER:$MAMBA_USER app.py /tmp/app.py
CMD ["python", "/tmp/app.py"]
