FROM python:3.12
WORKDIR /app
COPY . .
RUN pip install hatch \
    && hatch build -t wheel \
    && pip install dist/*.whl
CMD ["inventory"]
