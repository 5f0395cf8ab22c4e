arg NODE_VERSION=20.11

from node:${NODE_VERSION}-alpine3.19 as deps
run npm ci
from node:18-alpine
copy --from=deps /node_modules /node_modules
