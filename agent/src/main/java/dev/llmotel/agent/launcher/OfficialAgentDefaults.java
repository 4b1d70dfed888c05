package dev.llmotel.agent.launcher;

import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;
import java.util.Collections;

/**
 * When this jar is an extension of the OpenTelemetry Java agent: the rules against duplicate LLM spans. That agent's
 * own openai-java instrumentation is off by default ({@code otel.instrumentation.openai-java.enabled=false}), so a
 * call through openai-java is one GenAI span, this agent's (it sees the same call on the wire, with streams, cost
 * and every other provider); setting the property to {@code true} keeps both. A default only: the user's own
 * setting wins. For Bedrock the rule goes the other way (see {@link #hostRecordsBedrock()}): this class only reads,
 * from that agent's resolved configuration, whether its Bedrock instrumentation is on. Listed as a service only in the
 * extension jar ({@code llm-otel-agent-extension.jar}), never on an application's class path: in the
 * {@code -javaagent} jar an application's own SDK autoconfigure would find it (see the agent module's pom); and does
 * nothing should some other SDK's autoconfiguration find it all the same.
 */
public final class OfficialAgentDefaults implements AutoConfigurationCustomizerProvider {
  static final String OPENAI_JAVA = "otel.instrumentation.openai-java.enabled";

  /** Null until the host agent's configuration was read (it was not, e.g., with declarative configuration). */
  private static volatile Boolean hostRecordsBedrock;

  @Override
  public void customize(AutoConfigurationCustomizer customizer) {
    ClassLoader loader = OfficialAgentDefaults.class.getClassLoader();
    if (loader == null || !loader.getClass().getName().startsWith("io.opentelemetry.javaagent.")) return;
    customizer.addPropertiesSupplier(() -> Collections.singletonMap(OPENAI_JAVA, "false"));
    customizer.addPropertiesCustomizer(config -> {
      hostRecordsBedrock = HostBedrockGenAi.on(config::getString);
      return Collections.emptyMap();
    });
  }

  /**
   * Whether the host agent records every Bedrock Runtime call of the AWS SDK for Java v2 as a GenAI span of its own
   * (its {@code aws-sdk-2.2-bedrock-runtime} module with its {@code aws-sdk-2.2-core}, both on by default, in hosts
   * from 2.14.0): then that span is the call's one GenAI span and
   * this agent records none for those calls (it sees only the SDK's blocking transports, the host sees the async
   * streams as well). Read from the host's resolved configuration, or from system properties and the environment
   * when it could not be.
   */
  static boolean hostRecordsBedrock() {
    if (!HostBedrockGenAi.inHost()) return false;
    Boolean resolved = hostRecordsBedrock;
    return resolved != null ? resolved : HostBedrockGenAi.on(HostBedrockGenAi::fromSystem);
  }
}
