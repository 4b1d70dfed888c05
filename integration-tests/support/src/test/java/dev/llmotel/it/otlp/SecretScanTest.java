package dev.llmotel.it.otlp;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.it.simulator.LlmSimulator;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The scan finds a secret in what a receiver decoded, from credentials the simulator saw; clean exports pass. */
class SecretScanTest {
  @Test
  void credentialHeadersBecomeSecrets() {
    SecretScan.credentialHeader("Authorization", "Bearer tok-bearer-123");
    SecretScan.credentialHeader("Authorization", "Basic " + Base64.getEncoder().encodeToString(
        "user:pw-basic-456".getBytes()));
    SecretScan.credentialHeader("Cookie", "a=cookie-one-789; refreshToken=cookie-two-012");
    SecretScan.credentialHeader("x-api-key", "key-header-345");
    SecretScan.credentialHeader("Authorization", "AWS4-HMAC-SHA256 Credential=AKIA/x, SignedHeaders=host, "
        + "Signature=abcdef0123456789");
    SecretScan.credentialHeader("Content-Type", "application/json-not-a-secret");
    assertAll(List.of("tok-bearer-123", "pw-basic-456", "cookie-one-789", "cookie-two-012", "key-header-345",
        "abcdef0123456789").stream().map(s -> () -> assertTrue(SecretScan.secrets().containsKey(s), s)));
    assertTrue(!SecretScan.secrets().containsKey("application/json-not-a-secret"));
  }

  @Test
  void aSecretTheAppSentThatReachesAReceiverIsAHit() throws Exception {
    SecretScan.drainHits();
    try (LlmSimulator simulator = LlmSimulator.start(); OtlpReceiver receiver = OtlpReceiver.start()) {
      HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/v1/chat/completions"))
          .header("Authorization", "Bearer sk-leaky-key-0042").header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o-mini\",\"messages\":[]}")).build(),
          HttpResponse.BodyHandlers.discarding());
      export(receiver, "clean span", "nothing to see");
      assertEquals(List.of(), SecretScan.drainHits(), "a clean export");
      export(receiver, "leaky span", "the key was sk-leaky-key-0042");
      List<String> hits = SecretScan.drainHits();
      assertEquals(1, hits.size(), hits.toString());
      assertTrue(hits.get(0).contains("sk-l") && hits.get(0).contains("/v1/traces")
          && !hits.get(0).contains("sk-leaky-key-0042"), hits.get(0));
      assertTrue(SecretScan.scannedBodies() >= 2);
    }
  }

  private static void export(OtlpReceiver receiver, String name, String value) {
    try (SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(
        OtlpHttpSpanExporter.builder().setEndpoint(receiver.endpoint() + "/v1/traces").setCompression("gzip")
            .build())).build()) {
      provider.get("t").spanBuilder(name).setSpanKind(SpanKind.CLIENT).setAttribute("a", value).startSpan().end();
      provider.forceFlush().join(10, TimeUnit.SECONDS);
    }
  }
}
