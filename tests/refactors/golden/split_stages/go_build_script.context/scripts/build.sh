#!/bin/sh
# Builds the API server (CI runs the same script).
set -eu
go mod download
go build -trimpath -ldflags="-s -w" -o /usr/local/bin/api ./cmd/api
