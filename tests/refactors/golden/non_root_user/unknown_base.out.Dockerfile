FROM amazonlinux:2023
RUN dnf install -y python3
COPY --chown=65534:65534 app.py /opt/app/
USER 65534:65534
CMD ["python3", "/opt/app/app.py"]
