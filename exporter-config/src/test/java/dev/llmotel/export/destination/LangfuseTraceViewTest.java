package dev.llmotel.export.destination;

import static dev.llmotel.export.destination.TestSpans.span;
import static org.junit.jupiter.api.Assertions.*;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Langfuse trace a root LLM span makes, read the way Langfuse's OTLP ingestion reads it: langfuse/langfuse
 * packages/shared/src/server/otel/OtelIngestionProcessor.ts (2026-08 source). A span is the trace's root when it has
 * no parent span id ({@code isRootSpan = !parentObservationId || langfuse.internal.as_root}); for a root span
 * {@code createTraceEvent} names the trace {@code langfuse.trace.name ?? extractName(span.name, attributes)} and takes
 * the trace input / output from {@code extractInputAndOutput(domain "trace")}: {@code langfuse.trace.input/output},
 * else {@code langfuse.observation.input/output}, else (for the agent's scope) the GenAI attributes:
 * {@code gen_ai.input.messages} with {@code gen_ai.system_instructions} prepended, and {@code gen_ai.output.messages}.
 * A non-root span with any of {@code langfuse.trace.name/input/output} is a trace update ({@code hasTraceUpdates})
 * that overwrites the trace's name, input and output.
 */
class LangfuseTraceViewTest {
  private static final LangfuseView VIEW = new LangfuseView();
  static final AttributeKey<String> TRACE_NAME = AttributeKey.stringKey("langfuse.trace.name");
  static final List<String> TRACE_UPDATE_KEYS = List.of("langfuse.trace.name", "langfuse.trace.input",
      "langfuse.trace.output");
  /** Keys extractInputAndOutput reads before the GenAI messages: set, they would replace the conversation. */
  static final List<String> INPUT_OUTPUT_OVERRIDES = List.of("langfuse.trace.input", "langfuse.trace.output",
      "langfuse.observation.input", "langfuse.observation.output", "input.value", "output.value", "input", "output");

  static final String INPUT = "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Say hello.\"}]}]";
  static final String OUTPUT = "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Hello!\"}],"
      + "\"finish_reason\":\"stop\"}]";
  static final String SYSTEM = "[{\"type\":\"text\",\"content\":\"Be brief.\"}]";

  static Attributes captured() {
    return Attributes.builder().put("gen_ai.operation.name", "chat").put("gen_ai.request.model", "gpt-4o-mini")
        .put("gen_ai.input.messages", INPUT).put("gen_ai.output.messages", OUTPUT)
        .put("gen_ai.system_instructions", SYSTEM).build();
  }

  /** An LLM span inside the app's own span (as the agent makes it when the app uses the OpenTelemetry API). */
  static SpanData childSpan(Attributes attributes) {
    List<SpanData> ended = new ArrayList<>();
    SpanProcessor collect = new SpanProcessor() {
      @Override public void onStart(Context parentContext, ReadWriteSpan span) {}
      @Override public boolean isStartRequired() { return false; }
      @Override public void onEnd(ReadableSpan span) { ended.add(span.toSpanData()); }
      @Override public boolean isEndRequired() { return true; }
      @Override public CompletableResultCode shutdown() { return CompletableResultCode.ofSuccess(); }
    };
    try (SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(collect).build()) {
      Span parent = provider.get("app").spanBuilder("turn stream").startSpan();
      Span child = provider.get("llm-otel-agent").spanBuilder("chat gpt-4o-mini").setSpanKind(SpanKind.CLIENT)
          .setParent(Context.root().with(parent)).setAllAttributes(attributes).startSpan();
      child.end();
      parent.end();
    }
    return ended.stream().filter(s -> s.getParentSpanContext().isValid()).findFirst()
        .orElseThrow(AssertionError::new);
  }

  /**
   * The trace name Langfuse gives a root span: createTraceEvent (isRootSpan) {@code langfuse.trace.name ??
   * extractName(span.name, attributes)}; extractName returns the span name unless the span carries
   * {@code gen_ai.tool.name}, {@code genkit:name}, {@code logfire.msg} or a Vercel AI SDK name (none of which an LLM
   * span has: asserted).
   */
  static String langfuseTraceName(SpanData root) {
    assertFalse(root.getParentSpanContext().isValid(), "a root span");
    Attributes a = root.getAttributes();
    for (String key : List.of("gen_ai.tool.name", "genkit:name", "logfire.msg", "ai.telemetry.functionId")) {
      assertNull(a.get(AttributeKey.stringKey(key)), key);
    }
    String name = a.get(TRACE_NAME);
    return name != null ? name : root.getName();
  }

  /** Langfuse names a root LLM span's trace after the call by itself: the view adds no langfuse.trace.name. */
  @Test
  void aRootLlmSpansTraceIsNamedAfterTheCallByLangfuse() {
    SpanData viewed = VIEW.apply(span(captured()));
    assertNull(viewed.getAttributes().get(TRACE_NAME), "the view leaves the trace name to Langfuse");
    assertEquals("chat gpt-4o-mini", langfuseTraceName(viewed));
  }

  /**
   * A trace name the application set itself wins: on its own root span (exported through the agent, which applies
   * the Langfuse view to every span it sends there) the view leaves {@code langfuse.trace.name} as it is. The agent
   * copies no {@code langfuse.trace.name} from the app's baggage, so that is the only way an app names its trace.
   */
  @Test
  void theApplicationsOwnTraceNameWins() {
    SpanData viewed = VIEW.apply(span(Attributes.builder().put(TRACE_NAME, "checkout").build()));
    assertEquals("checkout", viewed.getAttributes().get(TRACE_NAME));
    assertEquals("checkout", langfuseTraceName(viewed));
  }

  /**
   * extractInputAndOutput(domain "trace") on the root span: nothing that takes precedence over the GenAI messages
   * is sent, and the messages and system instructions reach Langfuse unchanged, so the trace's input is the
   * conversation (system instructions prepended) and its output the completion.
   */
  @Test
  void aRootLlmSpansConversationIsTheTracesInputAndOutput() {
    Attributes a = VIEW.apply(span(captured())).getAttributes();
    for (String key : INPUT_OUTPUT_OVERRIDES) assertNull(a.get(AttributeKey.stringKey(key)), key);
    assertEquals(INPUT, a.get(AttributeKey.stringKey("gen_ai.input.messages")));
    assertEquals(OUTPUT, a.get(AttributeKey.stringKey("gen_ai.output.messages")));
    assertEquals(SYSTEM, a.get(AttributeKey.stringKey("gen_ai.system_instructions")));
  }

  /** With content capture off there is no content, and the view invents none (Langfuse still names the trace). */
  @Test
  void withoutContentCaptureNoContentReachesTheTrace() {
    Attributes a = VIEW.apply(span(Attributes.builder().put("gen_ai.operation.name", "chat")
        .put("gen_ai.request.model", "gpt-4o-mini").build())).getAttributes();
    assertNull(a.get(TRACE_NAME));
    a.forEach((k, v) -> assertFalse(k.getKey().contains("messages") || k.getKey().endsWith(".input")
        || k.getKey().endsWith(".output") || k.getKey().contains("system_instructions"), k.getKey()));
  }

  /** hasTraceUpdates: a child span with langfuse.trace.* would rename the app's trace and replace its input/output. */
  @Test
  void aChildLlmSpanLeavesTheAppsTraceAlone() {
    Attributes a = VIEW.apply(childSpan(captured())).getAttributes();
    for (String key : TRACE_UPDATE_KEYS) assertNull(a.get(AttributeKey.stringKey(key)), key);
    assertEquals(INPUT, a.get(AttributeKey.stringKey("gen_ai.input.messages")), "the generation keeps its input");
  }
}
