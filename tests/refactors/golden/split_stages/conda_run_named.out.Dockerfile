FROM continuumio/miniconda3:24.5.0-0 AS builder
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends build-essential && rm -rf /var/lib/apt/lists/*
RUN conda create -y -n app python=3.11 pip
COPY requirements.txt .
RUN conda run -n app pip install --no-cache-dir -r requirements.txt

FROM continuumio/miniconda3:24.5.0-0
WORKDIR /app
COPY --from=builder /opt/conda/envs/app /opt/conda/envs/app
COPY --from=builder /app /app
COPY . .
ENTRYPOINT ["conda", "run", "--no-capture-output", "-n", "app", "python", "main.py"]
