package dev.llmotel.it;

import static org.junit.jupiter.api.Assertions.fail;

import dev.llmotel.it.otlp.ReceiverBehaviour;
import dev.llmotel.it.otlp.SecretScan;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registered for every test of the integration suite (JUnit's extension auto-detection, see
 * {@code junit-platform.properties}): after each test, and after each test class, every byte the OTLP receivers got
 * since the last check is scanned for every secret the tests use ({@link SecretScan}: the simulators' credentials,
 * every credential header an app sent to a simulator, and the constants below), and the test fails on any hit.
 */
public final class SecretScanExtension implements AfterEachCallback, AfterAllCallback {
  static {
    SecretScan.secret(AppContractTest.API_KEY, "OpenAI API key of the apps");
    SecretScan.secret(TelemetryScenarios.SECRET_IN_PROMPT, "API key in a prompt (redaction)");
    SecretScan.secret(TelemetryScenarios.LANGFUSE_SK, "Langfuse secret key");
    SecretScan.credentialHeader("Authorization",
        ReceiverBehaviour.basic(TelemetryScenarios.LANGFUSE_PK, TelemetryScenarios.LANGFUSE_SK));
    SecretScan.secret(TelemetryScenarios.OPIK_KEY, "Opik API key");
    SecretScan.secret(TelemetryScenarios.DOTENV_OPIK_KEY, "Opik API key from .env");
    SecretScan.credentialHeader("Authorization", TelemetryScenarios.OPENOBSERVE_AUTH);
    SecretScan.secret("sk-lf-wrong", "wrong Langfuse secret key");
    SecretScan.secret(VoiceAppTest.LIVEKIT_SECRET, "LiveKit API secret");
    SecretScan.secret(AwsBedrockAppTest.ACCESS_KEY_ID, "AWS access key id");
    SecretScan.secret(AwsBedrockAppTest.SECRET_KEY, "AWS secret key");
  }

  @Override
  public void afterEach(ExtensionContext context) {
    check(context.getDisplayName());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    check(context.getDisplayName());
  }

  private static void check(String where) {
    List<String> hits = SecretScan.drainHits();
    if (!hits.isEmpty()) fail("secrets in exported telemetry (checked after " + where + "):\n  "
        + String.join("\n  ", hits));
  }
}
