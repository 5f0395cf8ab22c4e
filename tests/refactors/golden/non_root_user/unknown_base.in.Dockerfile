FROM amazonlinux:2023
RUN dnf install -y python3
COPY app.py /opt/app/
CMD ["python3", "/opt/app/app.py"]
