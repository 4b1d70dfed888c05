package dev.llmotel.agent.launcher;

import io.opentelemetry.javaagent.extension.AgentListener;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.lang.instrument.Instrumentation;

/**
 * The entry point when this jar is an extension of the OpenTelemetry Java agent
 * ({@code -javaagent:opentelemetry-javaagent.jar -Dotel.javaagent.extensions=llm-otel-agent-extension.jar}): once
 * that agent is up, starts this agent inside its own class loader with that agent's instrumentation and SDK (see {@code
 * AgentInstaller.installAsExtension}). Loaded by that agent's extension class loader, never by the application's
 * (which may see this class on its class path but never looks it up). Whatever goes wrong, one line and the
 * application starts.
 */
public final class OfficialAgentExtension implements AgentListener {
  private static final String HOLDER = "io.opentelemetry.javaagent.bootstrap.InstrumentationHolder";

  @Override
  public void afterAgent(AutoConfiguredOpenTelemetrySdk sdk) {
    try {
      Instrumentation inst = (Instrumentation) Class.forName(HOLDER, true, null)
          .getMethod("getInstrumentation").invoke(null);
      if (inst == null) throw new IllegalStateException("the OpenTelemetry Java agent holds no Instrumentation");
      AgentLauncher.startAsExtension(inst, OfficialAgentDefaults.hostRecordsBedrock());
    } catch (Throwable t) {
      System.err.println("[llm-otel-agent] WARN not started as an extension of the OpenTelemetry Java agent: " + t);
    }
  }
}
