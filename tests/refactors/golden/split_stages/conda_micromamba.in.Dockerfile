FROM mambaorg/micromamba:2.0.5
COPY --chown=$MAMBA_USER:$MAMBA_USER env.yaml /tmp/env.yaml
RUN micromamba install -y -n base -f /tmp/env.yaml
WORKDIR /home/mambauser/app
COPY --chown=$MAMBA_USER:$MAMBA_USER . .
CMD ["python", "serve.py"]
