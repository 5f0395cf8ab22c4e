ARG RUNTIME=runtime
FROM python:3.12 AS builder
RUN pip wheel -w /wheels -r requirements.txt

FROM python:3.12 AS builder-2
RUN pip install --no-index /wheels/*.whl
RUN python -m build

FROM alpine:3.20 AS alpine-stage
COPY --from=builder-2 /dist /dist

FROM ${RUNTIME} AS runtime-2
COPY --from=alpine-stage /dist /srv
COPY --from=builder /wheels /wheels
