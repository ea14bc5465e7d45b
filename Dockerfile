# syntax=docker/dockerfile:1
# node-agent-webhook: the admission webhook server (`node-agent-webhook serve`).
#
#   docker build -t node-agent-webhook:0.1.0 .
#
# The base image is pinned by its exact tag (Python patch release, Debian release) and by the digest of
# that tag's multi-platform index, so a re-pushed tag can never change the build. The digest is the one
# the Docker official images' repo-info records for python:3.11.16-slim-bookworm (build of 2026-09-01;
# repos/python/remote/3.11.16-slim-bookworm.md). To move on, bump tag and digest together:
#   docker buildx imagetools inspect python:3.11.N-slim-bookworm --format '{{json .Manifest.Digest}}'
#   (or `crane digest python:3.11.N-slim-bookworm`)
ARG PYTHON_IMAGE=python:3.11.16-slim-bookworm@sha256:c425d915a89a6dcd3183b1797ad9bd8878caff5a417f6371c8df93c8ea8b727f

# ---- build: a virtualenv with the locked dependencies and the package, nothing else ----------------
FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_ROOT_USER_ACTION=ignore
WORKDIR /src
# A venv without pip or setuptools of its own: the base image's pip installs into it (--python), so
# the virtualenv copied into the runtime stage carries no installer or build tool.
RUN python -m venv --without-pip /opt/venv
# Dependencies first (their layer survives source changes): exact versions, every file checked against
# its sha256 in the lock, and --no-deps so that nothing outside the lock can be pulled in.
COPY requirements.lock ./
RUN python -m pip --python /opt/venv/bin/python install --no-cache-dir --require-hashes --no-deps \
        -r requirements.lock
# Then the package itself, without dependencies, built with the locked setuptools (no build isolation:
# no unpinned download at build time); the build backend is removed from the runtime venv afterwards.
COPY pyproject.toml README.md ./
COPY webhook ./webhook
RUN python -m pip --python /opt/venv/bin/python install --no-cache-dir --no-deps --no-build-isolation . \
    && python -m pip --python /opt/venv/bin/python uninstall --yes setuptools

# ---- runtime ------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE}
LABEL org.opencontainers.image.title="node-agent-webhook" \
      org.opencontainers.image.description="Validating admission webhook for Velero's node-agent ConfigMap" \
      org.opencontainers.image.licenses="Apache-2.0"
# A fixed numeric user (the chart's runAsUser/runAsGroup) so that runAsNonRoot can be verified.
RUN groupadd --gid 65532 webhook \
    && useradd --uid 65532 --gid 65532 --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin webhook
# The root filesystem may be read-only: byte code was compiled at build time and is never written,
# output is unbuffered, and nothing keeps a cache.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PATH=/opt/venv/bin:$PATH
COPY --from=build /opt/venv /opt/venv
USER 65532:65532
EXPOSE 8443
ENTRYPOINT ["node-agent-webhook", "serve"]
