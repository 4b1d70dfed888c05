package dev.llmotel.agent.launcher;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The host agent's rule for its Bedrock module (2.33.1's names and order), answered from its settings. */
class HostBedrockGenAiTest {
  private static boolean on(String... keyValues) {
    Map<String, String> settings = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) settings.put(keyValues[i], keyValues[i + 1]);
    return HostBedrockGenAi.on(settings::get);
  }

  @Test
  void onByDefault() {
    assertTrue(on());
    assertTrue(on("otel.instrumentation.openai-java.enabled", "false"));
  }

  @Test
  void itsOwnSwitchOrAnAwsSdkSwitchTurnsItOff() {
    assertFalse(on("otel.instrumentation.aws-sdk-2.2-bedrock-runtime.enabled", "false"));
    assertFalse(on("otel.instrumentation.aws-sdk.enabled", "false"));
    assertFalse(on("otel.instrumentation.aws-sdk-2.2.enabled", "false"));
    assertFalse(on("otel.instrumentation.common.default-enabled", "false"));
  }

  @Test
  void theFirstNameSetDecidesAsInTheHost() {
    assertTrue(on("otel.instrumentation.aws-sdk.enabled", "true",
        "otel.instrumentation.aws-sdk-2.2-bedrock-runtime.enabled", "false"));
    assertFalse(on("otel.instrumentation.aws-sdk-2.2.enabled", "false",
        "otel.instrumentation.aws-sdk-2.2-bedrock-runtime.enabled", "true"));
    assertFalse(on("otel.instrumentation.common.default-enabled", "false",
        "otel.instrumentation.aws-sdk-2.2-bedrock-runtime.enabled", "true"), "its core module is off");
    assertTrue(on("otel.instrumentation.aws-sdk-2.2-bedrock-runtime.enabled", " TRUE "));
  }

  @Test
  void theV3PreviewNames() {
    assertFalse(on("otel.instrumentation.common.v3-preview", "true",
        "otel.instrumentation.aws-sdk-bedrock-runtime.enabled", "false"));
    assertTrue(on("otel.instrumentation.common.v3-preview", "true",
        "otel.instrumentation.aws-sdk-2.2-bedrock-runtime.enabled", "false"), "not a v3 name");
  }

  @Test
  void theSpanItselfComesFromTheCoreModule() {
    assertFalse(on("otel.instrumentation.aws-sdk-2.2-core.enabled", "false"));
    assertTrue(on("otel.instrumentation.aws-sdk-2.2-core.enabled", "false",
        "otel.instrumentation.aws-sdk-2.2.enabled", "true"), "an earlier name decides for both modules");
    assertTrue(on("otel.instrumentation.common.default-enabled", "false",
        "otel.instrumentation.aws-sdk-2.2-bedrock-runtime.enabled", "true",
        "otel.instrumentation.aws-sdk-2.2-core.enabled", "true"));
  }

  @Test
  void aHostWithoutTheBedrockModuleRecordsNoBedrockSpan() {
    // this test JVM runs no official agent: its module is not on the class path
    assertFalse(HostBedrockGenAi.inHost());
    assertFalse(OfficialAgentDefaults.hostRecordsBedrock());
  }
}
