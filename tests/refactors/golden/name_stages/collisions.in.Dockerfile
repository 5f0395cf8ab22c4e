ARG RUNTIME=runtime
FROM python:3.12 AS builder
RUN pip wheel -w /wheels -r requirements.txt

FROM python:3.12
RUN pip install --no-index /wheels/*.whl
RUN python -m build

FROM alpine:3.20
COPY --from=1 /dist /dist

FROM ${RUNTIME}
COPY --from=2 /dist /srv
COPY --from=builder /wheels /wheels
