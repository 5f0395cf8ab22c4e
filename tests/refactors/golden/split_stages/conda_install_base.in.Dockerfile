FROM condaforge/miniforge3:24.11.3-0
WORKDIR /srv
RUN mamba install -y -c conda-forge numpy pandas scikit-learn
COPY predict.py .
CMD ["python", "predict.py"]
