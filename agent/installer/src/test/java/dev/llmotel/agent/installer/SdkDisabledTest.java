package dev.llmotel.agent.installer;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** With the SDK disabled (and no console or summary) the agent installs nothing: how it reads the switch. */
class SdkDisabledTest {
  @AfterEach
  void clear() {
    System.clearProperty("otel.sdk.disabled");
  }

  @Test
  void theSystemPropertyDisablesTheSdkAsTheSdkReadsIt() {
    System.setProperty("otel.sdk.disabled", " TRUE ");
    assertTrue(AgentInstaller.sdkDisabled(dev.llmotel.export.EnvironmentSource.load()));
    System.setProperty("otel.sdk.disabled", "false");
    assertFalse(AgentInstaller.sdkDisabled(dev.llmotel.export.EnvironmentSource.load()));
    System.setProperty("otel.sdk.disabled", "yes");
    assertFalse(AgentInstaller.sdkDisabled(dev.llmotel.export.EnvironmentSource.load()));
  }
}
