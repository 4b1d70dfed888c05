package dev.llmotel.apibridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenTelemetryJavaagentTest {
  @Test
  void attachedWhenOneOfItsClassesIsVisibleAndAskedOnce() {
    List<String> asked = new ArrayList<>();
    OpenTelemetryJavaagent agent = new OpenTelemetryJavaagent(name -> {
      asked.add(name);
      return name.equals("io.opentelemetry.javaagent.bootstrap.AgentInitializer");
    });
    assertTrue(agent.isAttached());
    assertTrue(agent.isAttached());
    assertEquals(List.of(OpenTelemetryJavaagent.MARKER_CLASSES), asked);
  }

  @Test
  void notAttachedWhenNoneIsVisibleOrTheLookupFails() {
    assertFalse(new OpenTelemetryJavaagent(name -> false).isAttached());
    assertFalse(new OpenTelemetryJavaagent(name -> {
      throw new SecurityException("no");
    }).isAttached());
  }

  @Test
  void notAttachedInThisJvm() {
    assertFalse(new OpenTelemetryJavaagent().isAttached());
  }
}
