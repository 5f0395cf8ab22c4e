FROM continuumio/miniconda3:24.5.0-0
WORKDIR /app
COPY environment.yml .
RUN conda env create -f environment.yml
ENV PATH=/opt/conda/envs/webapp/bin:$PATH
COPY . .
EXPOSE 8000
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]
