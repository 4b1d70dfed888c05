package dev.llmotel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentSettingsTest {
  /** Two hook classes share the setting {@code okhttp}: a bad value is read twice and named once. */
  @Test
  void aMalformedValueIsNamedOnceHoweverOftenItIsRead() {
    Map<String, String> env = new HashMap<>();
    env.put("OTEL_INSTRUMENTATION_LLM_OKHTTP_ENABLED", "yes");
    env.put("OTEL_INSTRUMENTATION_LLM_MAX_EVENT_BYTES", "lots");
    AgentSettings settings = new AgentSettings(p -> null, env);
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true));
    try {
      AgentConfig config = AgentConfig.from(settings);
      assertTrue(config.hookEnabled("okhttp"));
      assertTrue(config.hookEnabled("okhttp"));
      assertEquals(1 << 20, config.maxEventBytes);
      assertEquals(1 << 20, settings.getLong(AgentConfig.PREFIX + "max-event-bytes", 1 << 20, 1024, 64 << 20));
    } finally {
      System.setErr(original);
    }
    String log = err.toString(StandardCharsets.UTF_8);
    assertEquals(1, log.lines().filter(l -> l.contains("OTEL_INSTRUMENTATION_LLM_OKHTTP_ENABLED=yes")).count(), log);
    assertEquals(1, log.lines().filter(l -> l.contains("OTEL_INSTRUMENTATION_LLM_MAX_EVENT_BYTES=lots")).count(), log);
    assertEquals(2, log.lines().count(), log);
  }
}
