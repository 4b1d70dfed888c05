package dev.llmotel.dialect.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class RequestPathsTest {
  @Test
  void trailingSlashesGoTheRootStays() {
    assertEquals("/v1/chat/completions", RequestPaths.withoutTrailingSlashes("/v1/chat/completions"));
    assertEquals("/v1/chat/completions", RequestPaths.withoutTrailingSlashes("/v1/chat/completions//"));
    assertEquals("/", RequestPaths.withoutTrailingSlashes("///"));
    assertEquals("", RequestPaths.withoutTrailingSlashes(""));
  }

  @Test
  void azureDeploymentIsTheSegmentAfterDeployments() {
    assertEquals("gpt-4o", RequestPaths.azureDeployment("/openai/deployments/gpt-4o/chat/completions"));
    assertEquals("whisper", RequestPaths.azureDeployment("/proxy/openai/deployments/whisper/audio/transcriptions"));
    assertNull(RequestPaths.azureDeployment("/openai/deployments/gpt-4o"));
    assertNull(RequestPaths.azureDeployment("/openai/deployments//chat/completions"));
    assertNull(RequestPaths.azureDeployment("/v1/chat/completions"));
  }
}
