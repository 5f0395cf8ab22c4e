FROM python:3.12 AS builder
WORKDIR /app
COPY . .
RUN python -m venv /opt/venv
RUN pip install hatch \
    && hatch build -t wheel \
    && /opt/venv/bin/pip install dist/*.whl

FROM python:3.12-slim
WORKDIR /app
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
COPY --from=builder /opt/venv /opt/venv
CMD ["inventory"]
