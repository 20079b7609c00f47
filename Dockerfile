# One image for every app; docker-compose.yml picks the app with `command`.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN NX_DAEMON=false NX_NO_CLOUD=true npx --no-install nx run-many -t build -p gateway identity directory authorization standalone --outputStyle=static \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
# The embedded default; docker-compose.yml runs the distributed apps instead.
ENV IAM_DATA_DIR=/home/node/data
EXPOSE 8080
CMD ["node", "dist/apps/standalone/main.js"]
