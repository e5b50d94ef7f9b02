# The taskwright worker image: the CLI's runnable jar, git, and the pinned Claude Code CLI,
# running as an unprivileged user. docker-compose.yml builds it; docs/deploy.md says how to
# run it. Nothing secret goes into the image: API keys, tokens and the agent's login arrive
# at run time, as environment variables or in mounted volumes.
#
# Images are pinned to exact versions so that a rebuild next month gives the same tools.
ARG BUILD_IMAGE=maven:3.9.11-eclipse-temurin-17
ARG RUNTIME_IMAGE=eclipse-temurin:17.0.16_8-jdk-noble
# Claude Code declares Node.js 22 or newer; the distribution's Node.js is older, so Node.js comes
# from its own official image.
ARG NODE_IMAGE=node:22.20.0-bookworm-slim

FROM ${NODE_IMAGE} AS node

# --- build: the shaded jar, starter/target/taskwright.jar -------------------------------------
FROM ${BUILD_IMAGE} AS build
WORKDIR /src
# The whole context, so that a new module needs no edit here; .dockerignore keeps out everything
# the Maven build does not read.
COPY . .
# The cache mount keeps Maven's downloads between builds, so a source change does not fetch
# every dependency again. -DskipTests also skips the root POM's step that installs the test
# tools, which the image does not need.
RUN --mount=type=cache,target=/root/.m2 mvn -B -DskipTests package

# --- runtime ----------------------------------------------------------------------------------
# A JDK rather than a JRE: the agents build and test the code they change, and Java projects
# need javac for that.
FROM ${RUNTIME_IMAGE} AS runtime

# Keep this default equal to <claude.code.version> in pom.xml, the version the end-to-end tests
# drive; DeploymentFilesTest fails when the two differ.
ARG CLAUDE_CODE_VERSION=2.1.329
# The uid the worker runs as. Make it the uid that owns the mounted repositories on the host
# (`id -u`), so git treats them as the worker's own and the worker can write worktrees there.
ARG TASKWRIGHT_UID=1000

# Node.js and npm install the Claude Code CLI and serve the agents in JavaScript projects.
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules /usr/local/lib/node_modules
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
    && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
    && node --version

# git for the worktrees.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates git \
    && npm install -g --no-audit --no-fund "@anthropic-ai/claude-code@${CLAUDE_CODE_VERSION}" \
    && npm cache clean --force \
    && rm -rf /var/lib/apt/lists/* \
    && claude --version

# The base image may already have a user with uid 1000 (Ubuntu's "ubuntu"); it makes way for the
# worker's own user. The repositories are mounted from the host, so git's check that a
# repository belongs to the current user would refuse them whenever the uids differ; the worker
# only ever sees the repositories it was given, so the check is switched off.
RUN if [ "${TASKWRIGHT_UID}" = 0 ]; then echo "TASKWRIGHT_UID must not be 0: the worker never runs as root" >&2; exit 1; fi \
    && if getent passwd "${TASKWRIGHT_UID}" >/dev/null; then userdel --remove "$(getent passwd "${TASKWRIGHT_UID}" | cut -d: -f1)"; fi \
    && useradd --create-home --uid "${TASKWRIGHT_UID}" --user-group --shell /bin/bash taskwright \
    && git config --system --add safe.directory '*' \
    && mkdir -p /opt/taskwright /var/lib/taskwright /home/taskwright/.claude /repos \
    && chown taskwright:taskwright /var/lib/taskwright /home/taskwright/.claude /repos

COPY --from=build /src/starter/target/taskwright.jar /opt/taskwright/taskwright.jar
# `taskwright ...` on PATH, so that `docker compose exec worker taskwright status ID` works.
# The JVM options are bin/taskwright's (why: there): the JIT's first tier and the serial collector.
RUN printf '#!/bin/sh\nexec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC ${TASKWRIGHT_JAVA_OPTS:-} -jar /opt/taskwright/taskwright.jar "$@"\n' \
        > /usr/local/bin/taskwright \
    && chmod 755 /usr/local/bin/taskwright

# Worktrees, agent transcripts and run folders live in TASKWRIGHT_HOME, which must outlive the
# container: a task resumes in its worktree after any restart. Claude Code keeps its sessions
# (which --resume needs) and a login made inside the container in CLAUDE_CONFIG_DIR, a second
# volume. DISABLE_AUTOUPDATER keeps the CLI at the pinned version.
ENV TASKWRIGHT_HOME=/var/lib/taskwright \
    CLAUDE_CONFIG_DIR=/home/taskwright/.claude \
    DISABLE_AUTOUPDATER=1
VOLUME ["/var/lib/taskwright", "/home/taskwright/.claude"]

USER taskwright
WORKDIR /home/taskwright
# Prometheus metrics (TASKWRIGHT_METRICS_ADDRESS).
EXPOSE 9464

ENTRYPOINT ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", "/opt/taskwright/taskwright.jar"]
CMD ["worker"]
