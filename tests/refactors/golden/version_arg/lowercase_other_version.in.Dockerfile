from node:20.11-alpine3.19 as deps
run npm ci
from node:18-alpine
copy --from=deps /node_modules /node_modules
