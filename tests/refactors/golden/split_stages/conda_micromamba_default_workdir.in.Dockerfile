FROM mambaorg/micromamba:2.0.5
COPY --chown=$MAMBA_USER:$MAMBA_USER env.yaml /tmp/env.yaml
RUN micromamba install -y -n base -f /tmp/env.yaml
COPY --chown=$MAMBA_USER:$MAMBA_USER app.py /tmp/app.py
CMD ["python", "/tmp/app.py"]
