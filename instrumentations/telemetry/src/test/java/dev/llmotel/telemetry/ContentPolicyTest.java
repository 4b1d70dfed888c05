package dev.llmotel.telemetry;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.HeaderLookup;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContentPolicyTest {
  private static final ContentPolicy DEFAULT =
      new ContentPolicy(true, 200, ContentPolicy.redactions("api-keys,cards", null));

  @Test
  void secretsAndCardNumbersAreRedactedByDefaultEmailsAreKept() {
    String text = "key sk-proj-abcdefghijklmnop1234 and Bearer abcdefghijklmnopqrstuvwxyz and card 4111 1111 1111 1111"
        + " and AKIAABCDEFGHIJKLMNOP, mail ann@example.com";
    String out = DEFAULT.apply(text);
    assertFalse(out.contains("sk-proj-abcdefghijklmnop1234"), out);
    assertFalse(out.contains("abcdefghijklmnopqrstuvwxyz"), out);
    assertFalse(out.contains("4111 1111 1111 1111"), out);
    assertFalse(out.contains("AKIAABCDEFGHIJKLMNOP"), out);
    assertTrue(out.contains("ann@example.com"), out);
    assertEquals(4, out.split("\\[REDACTED\\]", -1).length - 1, out);
  }

  @Test
  void emailsAndCustomPatternsOnRequest() {
    ContentPolicy p = new ContentPolicy(true, 0, ContentPolicy.redactions("emails", List.of("ACME-\\d+")));
    assertEquals("write to [REDACTED] about [REDACTED]", p.apply("write to ann@example.com about ACME-1234"));
  }

  @Test
  void longTextIsCutWithAVisibleMarker() {
    String out = new ContentPolicy(true, 10, List.of()).apply("0123456789abcdef0123456789abcdef0123456789abcdef");
    assertEquals("0123456789abcdef0123456789abcdef01234567...[truncated 8 chars]", out);
  }

  @Test
  void aLongJsonArrayKeepsWholeLeadingElementsAndStaysValid() {
    String m1 = "{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"a]},{\\\"b\"}]}";
    String m2 = "{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"xxxxxxxxxxxxxxxxxxxx\"}]}";
    String all = "[" + m1 + "," + m2 + "]";
    ContentPolicy p = new ContentPolicy(true, (m1.length() + 10) / 4 + 1, List.of());
    assertEquals("[" + m1 + "]", p.apply(all));
    assertEquals("[]", new ContentPolicy(true, 2, List.of()).apply(all));
    assertEquals(all, new ContentPolicy(true, 1000, List.of()).apply(all));
  }

  @Test
  void unknownRedactionNameIsAnError() {
    assertThrows(IllegalArgumentException.class, () -> ContentPolicy.redactions("api-keys,phones", null));
  }

  @Test
  void contentReachesTheSpanOnlyWhenCaptureIsOn() {
    CallFacts f = new CallFacts();
    f.request.operationName = "chat";
    f.request.inputMessagesJson = "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"hi sk-abcdefghijklmnopqrstu\"}]}]";
    f.response.outputMessagesJson = "[{\"role\":\"assistant\",\"parts\":[],\"finish_reason\":\"stop\"}]";
    ExchangeRequest req = new ExchangeRequest("POST", "https", "h", -1, "/v1/chat/completions", null,
        HeaderLookup.NONE);
    for (boolean capture : new boolean[] {false, true}) {
      InMemorySpanExporter exporter = InMemorySpanExporter.create();
      SdkTracerProvider tp = SdkTracerProvider.builder().setIdGenerator(PresetIds.GENERATOR)
        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
      InferenceSpans spans = InferenceSpans.builder(tp.get("t")).content(capture ? DEFAULT : ContentPolicy.off())
          .build();
      long now = System.nanoTime();
      spans.record(spans.begin(req, f, System.currentTimeMillis() * 1_000_000L),
          new CallRecord(f, req.host(), req.port(), now, now + 1000, null));
      SpanData data = exporter.getFinishedSpanItems().get(0);
      String input = data.getAttributes().get(AttributeKey.stringKey("gen_ai.input.messages"));
      if (capture) {
        assertEquals("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"hi [REDACTED]\"}]}]", input);
        assertNotNull(data.getAttributes().get(AttributeKey.stringKey("gen_ai.output.messages")));
      } else {
        assertNull(input);
        assertTrue(data.getAttributes().asMap().keySet().stream()
            .noneMatch(k -> k.getKey().contains("messages") || k.getKey().contains("instructions")));
      }
    }
  }
}
