package dev.llmotel.telemetry;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmotel.exchange.Exchange;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.HeaderLookup;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/** An SDK that traces its own calls through the bridge: its span stays the parent, the tokens are counted once. */
class SdkAppTracingTest {
  private static final AttributeKey<Long> INPUT = AttributeKey.longKey("gen_ai.usage.input_tokens");
  private static final AttributeKey<Long> OUTPUT = AttributeKey.longKey("gen_ai.usage.output_tokens");
  private static final AttributeKey<String> MODEL = AttributeKey.stringKey("gen_ai.request.model");
  private static final AttributeKey<Boolean> ON_CHILD = AttributeKey.booleanKey("llmotel.usage.on_child_span");

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final SdkTracerProvider provider = SdkTracerProvider.builder().setIdGenerator(PresetIds.GENERATOR)
      .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
  private final SdkAppTracing tracing = new SdkAppTracing(provider);
  private final TracedExchanges exchanges = TracedExchanges.builder(Collections.singletonList(new ScriptedDialect()),
      Pending.of(new InferenceTelemetry(InferenceSpans.builder(provider.get("agent")).build(), null, null))).build();

  private AppSpan sdkSpan() {
    AppSpan span = tracing.startSpan("com.anthropic.sdk.java", null, "anthropic.messages.create",
        AppTracing.KIND_CLIENT, null, 0);
    span.setAttribute("gen_ai.request.model", "claude-sonnet-4-5");
    span.setAttribute("gen_ai.usage.input_tokens", 9L);
    return span;
  }

  /** The LLM call the SDK makes inside its span, as the application's context (the bridge) reports that span. */
  private void llmCallInside(AppSpan parent) {
    ParentProbe probe = () -> new ParentSpan(parent.traceId(), parent.spanId(), parent.traceFlags(), false, null);
    ParentProbes.register(probe);
    Exchange ex;
    try {
      ex = exchanges.begin(new ExchangeRequest("POST", "https", "api.example.com", -1, "/llm/chat", null,
          HeaderLookup.NONE));
    } finally {
      ParentProbes.unregister(probe);
    }
    ex.responseWithoutBody();
  }

  private SpanData span(String name) {
    return exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void anSdkSpanAroundAnLlmCallKeepsItsRequestButNotItsTokens() {
    AppSpan sdk = sdkSpan();
    llmCallInside(sdk);
    sdk.setAttribute("gen_ai.usage.output_tokens", 7L); // SDKs set usage when the response is read
    sdk.end(0);

    SpanData parent = span("anthropic.messages.create");
    SpanData llm = exporter.getFinishedSpanItems().stream().filter(s -> s.getName().startsWith("chat"))
        .findFirst().orElseThrow();
    assertEquals(parent.getSpanId(), llm.getParentSpanId());
    assertEquals("claude-sonnet-4-5", parent.getAttributes().get(MODEL));
    assertNull(parent.getAttributes().get(INPUT));
    assertNull(parent.getAttributes().get(OUTPUT));
    assertEquals(Boolean.TRUE, parent.getAttributes().get(ON_CHILD));
  }

  /** Spring AI 1.x: its gen_ai span, then Spring's RestClient span, then the agent's: the grandparent drops its tokens. */
  @Test
  void aFrameworkSpanAboveAnHttpSpanAroundAnLlmCallDoesNotKeepItsTokensEither() {
    AppSpan framework = tracing.startSpan("org.springframework.ai", null, "chat gpt-4o-mini", AppTracing.KIND_CLIENT,
        null, 0);
    framework.setAttribute("gen_ai.usage.input_tokens", 11L);
    AppSpan http = tracing.startSpan("org.springframework.boot", null, "http post", AppTracing.KIND_CLIENT,
        new ParentSpan(framework.traceId(), framework.spanId(), framework.traceFlags(), false, null), 0);
    llmCallInside(http);
    http.end(0);
    framework.end(0);

    SpanData outer = span("chat gpt-4o-mini");
    assertNull(outer.getAttributes().get(INPUT));
    assertEquals(Boolean.TRUE, outer.getAttributes().get(ON_CHILD));
    assertNull(span("http post").getAttributes().get(ON_CHILD), "no tokens held there: nothing to say");
  }

  @Test
  void anSdkSpanWithoutAnLlmCallInsideKeepsItsTokens() {
    AppSpan sdk = sdkSpan();
    sdk.setAttribute("gen_ai.usage.output_tokens", 7L);
    sdk.end(0);

    SpanData only = span("anthropic.messages.create");
    assertEquals(9L, only.getAttributes().get(INPUT));
    assertEquals(7L, only.getAttributes().get(OUTPUT));
    assertNull(only.getAttributes().get(ON_CHILD));
  }

  @Test
  void theParentsRememberedAreBounded() {
    for (int i = 0; i < LlmParents.MAX + 10; i++) LlmParents.noteParent(Integer.toHexString(i));
    assertTrue(LlmParents.takeParent(Integer.toHexString(LlmParents.MAX + 5)));
    assertFalse(LlmParents.takeParent("0"), "the set was dropped when it filled up");
  }
}
