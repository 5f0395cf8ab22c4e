FROM condaforge/miniforge3:24.11.3-0 AS builder
WORKDIR /srv
RUN mamba install -y -c conda-forge numpy pandas scikit-learn
RUN conda clean -afy

FROM ubuntu:24.04
RUN apt-get update \
    && apt-get install -y --no-install-recommends tini \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /srv
ENV LANG=C.UTF-8 LC_ALL=C.UTF-8
ENV PATH="/opt/conda/bin:$PATH"
COPY --from=builder /opt/conda /opt/conda
COPY --from=builder /srv /srv
ENTRYPOINT ["tini", "--"]
COPY predict.py .
CMD ["python", "predict.py"]
