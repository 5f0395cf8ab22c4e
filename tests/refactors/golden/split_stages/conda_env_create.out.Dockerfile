FROM continuumio/miniconda3:24.5.0-0 AS builder
WORKDIR /app
COPY environment.yml .
RUN conda env create -f environment.yml

FROM debian:bookworm-slim
WORKDIR /app
ENV LANG=C.UTF-8 LC_ALL=C.UTF-8
COPY --from=builder /opt/conda/envs/webapp /opt/conda/envs/webapp
COPY --from=builder /app /app
ENV PATH=/opt/conda/envs/webapp/bin:$PATH
COPY . .
EXPOSE 8000
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]
