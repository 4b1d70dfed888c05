#!/bin/sh
# Entrypoint of the llm-otel-agent-entrypoint image: runs the application jar mounted at /app/app.jar with the agent
# attached. Configure the agent with OTEL_* and backend variables (docker run -e ...); JVM options go in JAVA_OPTS;
# arguments after the image name go to the application.
#
#   docker run --rm -v "$PWD/app.jar:/app/app.jar:ro" -e OTEL_EXPORTER_OTLP_ENDPOINT=... llm-otel-agent-entrypoint
#
# LLMOTEL_APP_JAR and LLMOTEL_AGENT_JAR move the two jars (the image sets them to these defaults).
agent_jar="${LLMOTEL_AGENT_JAR:-/javaagent/llm-otel-agent.jar}"
app_jar="${LLMOTEL_APP_JAR:-/app/app.jar}"

if [ ! -f "$app_jar" ]; then
  if [ -d "$app_jar" ]; then
    echo "llm-otel-agent: $app_jar is a directory, not a jar: the file mounted there did not exist on the host" >&2
  else
    echo "llm-otel-agent: no application jar at $app_jar" >&2
  fi
  echo "llm-otel-agent: mount yours there: docker run -v \"\$PWD/your-app.jar:$app_jar:ro\" IMAGE [app arguments]" >&2
  exit 64
fi
if [ ! -f "$agent_jar" ]; then
  echo "llm-otel-agent: the agent jar is missing at $agent_jar (LLMOTEL_AGENT_JAR)" >&2
  exit 64
fi

# JAVA_OPTS is split into words on purpose (several options), never expanded as file name patterns.
set -f
# shellcheck disable=SC2086
exec java $JAVA_OPTS "-javaagent:$agent_jar" -jar "$app_jar" "$@"
