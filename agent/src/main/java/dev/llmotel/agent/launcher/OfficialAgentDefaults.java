package dev.llmotel.agent.launcher;

import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;
import java.util.Collections;

/**
 * When this jar is an extension of the OpenTelemetry Java agent: one rule against duplicate LLM spans. That agent's
 * own openai-java instrumentation is off by default ({@code otel.instrumentation.openai-java.enabled=false}), so a
 * call through openai-java is one GenAI span, this agent's (it sees the same call on the wire, with streams, cost
 * and every other provider); setting the property to {@code true} keeps both. A default only: the user's own
 * setting wins. Does nothing when some other SDK's autoconfiguration finds it (this jar is on the application's class
 * path as a {@code -javaagent} too).
 */
public final class OfficialAgentDefaults implements AutoConfigurationCustomizerProvider {
  static final String OPENAI_JAVA = "otel.instrumentation.openai-java.enabled";

  @Override
  public void customize(AutoConfigurationCustomizer customizer) {
    ClassLoader loader = OfficialAgentDefaults.class.getClassLoader();
    if (loader == null || !loader.getClass().getName().startsWith("io.opentelemetry.javaagent.")) return;
    customizer.addPropertiesSupplier(() -> Collections.singletonMap(OPENAI_JAVA, "false"));
  }
}
