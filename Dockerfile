# syntax=docker/dockerfile:1
#
# One runtime image for any of the five services, chosen with the SERVICE build arg:
#   gateway-service | oauth-service | webhook-ingest-service | sync-service | ics-poller-service
#
# Nothing is compiled here. Build the fat jars on the host first:
#   ./mvnw -B -DskipTests package
# then, for example:
#   docker build --build-arg SERVICE=sync-service -t calsync/sync-service .
# docker-compose.yml does this for all five services.

FROM eclipse-temurin:21-jre

# curl is used only by the compose healthchecks (the JRE image has no HTTP client we can rely on).
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*

# Fixed numeric IDs so orchestrators (e.g. Kubernetes runAsNonRoot) can verify the user is not root.
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --no-create-home --shell /usr/sbin/nologin app

WORKDIR /app

# Declared after the layers above so that they are cached once and shared by all five images
# (a build arg in scope changes the cache key of every later RUN).
ARG SERVICE
RUN test -n "$SERVICE" \
    || { echo "build arg SERVICE is required, e.g. --build-arg SERVICE=sync-service" >&2; exit 1; }

# Owned by root and not writable by the app user; the app only needs to read it.
COPY ${SERVICE}/target/${SERVICE}-0.1.0-SNAPSHOT-exec.jar /app/app.jar

USER 10001:10001

# Exec form: java is PID 1 and receives SIGTERM directly, so Spring's graceful shutdown runs.
ENTRYPOINT ["java","-XX:MaxRAMPercentage=75","-jar","/app/app.jar"]
