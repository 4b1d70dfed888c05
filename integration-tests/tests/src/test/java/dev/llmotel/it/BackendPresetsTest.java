package dev.llmotel.it;

import static dev.llmotel.it.TelemetryScenarios.*;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.it.jvm.Jdk;
import dev.llmotel.it.otlp.OtlpReceiver;
import dev.llmotel.it.otlp.ReceivedRequest;
import dev.llmotel.it.otlp.ReceivedSpan;
import dev.llmotel.it.otlp.ReceiverBehaviour;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Langfuse, Opik and OpenObserve configured from their own variables in a real app JVM, against local receivers
 * that answer as those backends do: each gets every span at its own path with its own headers and view, metrics only
 * where accepted; a {@code .env} file in the working directory works (real variables win); a misconfigured preset or
 * a 401 costs one warning line and nothing else.
 */
class BackendPresetsTest {
  static final String WARN = "[llm-otel-agent] WARN";
  static final List<String> BACKENDS = List.of("otlp", "langfuse", "opik", "openobserve");

  private static TelemetryRun healthy() { return TelemetryScenarios.okHttpToThreeBackends(Jdk.current()); }

  private static TelemetryRun broken() { return TelemetryScenarios.okHttpWithDotEnvAndBrokenBackends(Jdk.current()); }

  private static Map<String, ReceivedSpan> bySpanId(List<ReceivedSpan> spans) {
    return spans.stream().collect(Collectors.toMap(ReceivedSpan::spanId, Function.identity(), (a, b) -> a,
        TreeMap::new));
  }

  /** The run's stderr lines, without the JVM's own warnings (class data sharing with an appended boot path). */
  private static List<String> stderrLines(TelemetryRun run) {
    return run.jvm().stderr().lines().filter(l -> !l.isBlank() && !isJvmWarning(l)).toList();
  }

  static boolean isJvmWarning(String line) {
    return (line.startsWith("OpenJDK ") || line.startsWith("Java HotSpot")) && line.contains(" VM warning: ");
  }

  private static Set<String> agentMetricNames(OtlpReceiver receiver) {
    return receiver.metrics().stream().filter(m -> m.scopeName().equals("llm-otel-agent"))
        .map(dev.llmotel.it.otlp.ReceivedMetric::name).collect(Collectors.toSet());
  }

  @Test
  void everyDestinationGetsEverySpan() {
    TelemetryRun run = healthy();
    Set<String> ids = bySpanId(run.llmSpans("otlp")).keySet();
    assertEquals(OKHTTP_SPANS, ids.size(), run.describe());
    for (String backend : BACKENDS) {
      OtlpReceiver r = run.receiver(backend);
      assertAll(backend + "\n" + run.describe(),
          () -> assertEquals(ids, bySpanId(r.spans()).keySet(), "span ids"),
          () -> assertEquals(OKHTTP_SPANS, r.spans().size(), "no duplicates"),
          () -> assertTrue(r.requests().stream().filter(ReceivedRequest::isTraces).allMatch(q -> q.status() == 200),
              "every traces request accepted"),
          () -> assertEquals(List.of(), r.problems()));
    }
  }

  @Test
  void eachDestinationGetsItsOwnPathsAndHeaders() {
    TelemetryRun run = healthy();
    List<ReceivedRequest> langfuse = run.receiver("langfuse").requests();
    List<ReceivedRequest> opik = run.receiver("opik").requests();
    List<ReceivedRequest> openObserve = run.receiver("openobserve").requests();
    List<ReceivedRequest> otlp = run.receiver("otlp").requests();
    assertAll(run.describe(),
        () -> assertFalse(langfuse.isEmpty() || opik.isEmpty() || openObserve.isEmpty(), "a backend got nothing"),
        () -> langfuse.forEach(q -> assertAll(q.toString(),
            () -> assertEquals("/api/public/otel/v1/traces", q.path()),
            () -> assertEquals(ReceiverBehaviour.basic(LANGFUSE_PK, LANGFUSE_SK), q.header("Authorization")),
            () -> assertEquals("4", q.header("x-langfuse-ingestion-version")),
            () -> assertNull(q.header("Comet-Workspace")),
            () -> assertNull(q.header("projectName")),
            () -> assertNull(q.header("stream-name")))),
        () -> opik.forEach(q -> assertAll(q.toString(),
            () -> assertEquals("/api/v1/private/otel/v1/traces", q.path()),
            () -> assertEquals(OPIK_KEY, q.header("Authorization")),
            () -> assertEquals(OPIK_WORKSPACE, q.header("Comet-Workspace")),
            () -> assertEquals(OPIK_PROJECT, q.header("projectName")),
            () -> assertNull(q.header("stream-name")))),
        () -> openObserve.forEach(q -> assertAll(q.toString(),
            () -> assertTrue(Set.of("/api/" + OPENOBSERVE_ORG + "/v1/traces", "/api/" + OPENOBSERVE_ORG + "/v1/metrics")
                .contains(q.path()), "path"),
            () -> assertEquals(OPENOBSERVE_AUTH, q.header("Authorization")),
            () -> assertEquals(OPENOBSERVE_STREAM, q.header("stream-name")),
            () -> assertNull(q.header("Comet-Workspace")),
            () -> assertNull(q.header("projectName")))),
        () -> otlp.forEach(q -> assertAll(q.toString(),
            () -> assertTrue(Set.of("/v1/traces", "/v1/metrics").contains(q.path()), "path"),
            () -> assertNull(q.header("Authorization"), "a backend's credentials went to the plain OTLP endpoint"),
            () -> assertNull(q.header("Comet-Workspace")),
            () -> assertNull(q.header("stream-name")))));
  }

  /** OpenObserve and plain OTLP take metrics; Langfuse (discards them) and Opik (answers 501) are not sent any. */
  @Test
  void metricsOnlyWhereAccepted() {
    TelemetryRun run = healthy();
    OtlpReceiver otlp = run.receiver("otlp");
    OtlpReceiver openObserve = run.receiver("openobserve");
    assertAll(run.describe(),
        () -> assertEquals(MetricsExportTest.GENAI_METRICS, agentMetricNames(otlp), "plain OTLP metrics"),
        () -> assertEquals(MetricsExportTest.GENAI_METRICS, agentMetricNames(openObserve), "OpenObserve metrics"),
        () -> assertEquals(otlp.histogramSeries(MetricsExportTest.TOKEN_USAGE).stream().map(p -> p.attributes()
            + "=" + p.sum()).collect(Collectors.toSet()), openObserve.histogramSeries(MetricsExportTest.TOKEN_USAGE)
            .stream().map(p -> p.attributes() + "=" + p.sum()).collect(Collectors.toSet()), "same token usage"),
        () -> assertEquals(0, run.receiver("langfuse").metricRequests(), "metrics sent to Langfuse"),
        () -> assertEquals(0, run.receiver("opik").metricRequests(), "metrics sent to Opik"));
  }

  /** A flat JSON object of numbers (what the Langfuse view writes), as a map. */
  static Map<String, Double> jsonNumbers(Object json) {
    Map<String, Double> out = new TreeMap<>();
    if (json == null) return null;
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"([a-z_]+)\":(-?[0-9.Ee+-]+)")
        .matcher((String) json);
    while (m.find()) out.put(m.group(1), Double.parseDouble(m.group(2)));
    return out;
  }

  private static final String USAGE_DETAILS = "langfuse.observation.usage_details";
  private static final String COST_DETAILS = "langfuse.observation.cost_details";
  private static final String COMPLETION_START = "langfuse.observation.completion_start_time";
  private static final Set<String> LANGFUSE_ADDED = Set.of(COMPLETION_START, USAGE_DETAILS, COST_DETAILS,
      "langfuse.release", "langfuse.environment", "langfuse.trace.tags", "langfuse.trace.name");

  /**
   * Langfuse's view (rules of langfuse/langfuse OtelIngestionProcessor.ts: usage_details and cost_details are read
   * before any gen_ai.usage.*; release from langfuse.release; environment from langfuse.environment): usage under
   * Langfuse's keys adding up to the call's tokens, the agent's price split summing to its cost (none for an unpriced
   * model, so Langfuse prices it), release and environment from the resource, the absolute time of the first chunk
   * on streams, and nothing else changed but the replaced cost attributes.
   */
  @Test
  void langfuseGetsUsageCostReleaseEnvironmentAndCompletionStartTime() {
    TelemetryRun run = healthy();
    Map<String, ReceivedSpan> plain = bySpanId(run.receiver("otlp").spans());
    int priced = 0;
    for (ReceivedSpan s : run.receiver("langfuse").spans()) {
      ReceivedSpan original = plain.get(s.spanId());
      Map<String, Object> others = new TreeMap<>(s.attributes());
      others.keySet().removeAll(LANGFUSE_ADDED);
      Map<String, Object> expectedOthers = new TreeMap<>(original.attributes());
      expectedOthers.keySet().removeIf(k -> k.equals("gen_ai.usage.cost") || k.startsWith("llmotel.cost."));
      Map<String, Double> usage = jsonNumbers(s.attr(USAGE_DETAILS));
      Map<String, Double> cost = jsonNumbers(s.attr(COST_DETAILS));
      assertAll(s.toString(),
          () -> assertEquals(expectedOthers, others, "other attributes unchanged"),
          () -> assertFalse(original.has(COMPLETION_START) || original.has(USAGE_DETAILS), "the view leaked"),
          () -> assertEquals(APP_VERSION, s.attr("langfuse.release")),
          () -> assertEquals("staging", s.attr("langfuse.environment")),
          // the okhttp app has no span of its own: each LLM span is its trace's root, which Langfuse names itself
          // (OtelIngestionProcessor createTraceEvent: langfuse.trace.name ?? extractName(span.name)); the view adds
          // no langfuse.trace.name
          () -> assertNull(s.attr("langfuse.trace.name")));
      if (original.has(LlmSpanAssertions.INPUT_TOKENS)) {
        long in = (Long) original.attr(LlmSpanAssertions.INPUT_TOKENS);
        long out = (Long) original.attr(LlmSpanAssertions.OUTPUT_TOKENS);
        long cached = original.has(LlmSpanAssertions.CACHE_READ) ? (Long) original.attr(LlmSpanAssertions.CACHE_READ) : 0;
        assertAll(s.toString(),
            () -> assertEquals((double) (in - cached), usage.get("input"), "input without cache reads"),
            () -> assertEquals((double) (in + out), usage.get("total")),
            () -> assertEquals((double) (in + out), usage.entrySet().stream().filter(e -> !e.getKey().equals("total"))
                .mapToDouble(Map.Entry::getValue).sum(), "the parts add up"));
      } else {
        assertNull(usage, "usage details without usage: " + s);
      }
      if (original.has("gen_ai.usage.cost")) {
        priced++;
        double total = (Double) original.attr("gen_ai.usage.cost");
        assertAll(s.toString(),
            () -> assertEquals(total, cost.get("total"), 1e-15),
            () -> assertTrue(cost.containsKey("input") && cost.containsKey("output"), "the split: " + cost),
            () -> assertEquals(total, cost.entrySet().stream().filter(e -> !e.getKey().equals("total"))
                .mapToDouble(Map.Entry::getValue).sum(), 1e-12, "the parts add up"));
      } else {
        assertNull(cost, "an unpriced call sends no cost, so Langfuse prices it: " + s);
      }
      if (Boolean.TRUE.equals(s.attr(LlmSpanAssertions.STREAM))) {
        double ttfc = (Double) s.attr(LlmSpanAssertions.TTFC);
        String expected = Instant.ofEpochSecond(0, s.span().getStartTimeUnixNano() + (long) (ttfc * 1e9)).toString();
        assertEquals(expected, s.attr(COMPLETION_START), "start + time to first chunk: " + s);
      } else {
        assertFalse(s.has(COMPLETION_START), "completion start time on a non-streamed call: " + s);
      }
    }
    assertTrue(priced >= 2, "the gpt-4o-mini calls are priced: " + run.describe());
    assertEquals(1, run.receiver("langfuse").spans().stream().filter(s -> s.has(COMPLETION_START)).count(),
        "one stream");
  }

  /** The opik.metadata JSON object, integers as Long (as the plain span's attributes are decoded). */
  @SuppressWarnings("unchecked")
  static Map<String, Object> opikMetadata(ReceivedSpan s) {
    Object json = s.attr("opik.metadata");
    if (json == null) return Map.of();
    try {
      Map<String, Object> m = new com.fasterxml.jackson.databind.ObjectMapper().readValue((String) json, Map.class);
      Map<String, Object> out = new TreeMap<>();
      m.forEach((k, v) -> out.put(k, v instanceof Integer ? Long.valueOf((Integer) v) : v));
      return out;
    } catch (java.io.IOException e) {
      throw new AssertionError("opik.metadata is not a JSON object: " + json, e);
    }
  }

  /**
   * Opik's view, following its mapper's rules (comet-ml/opik GenAIMappingRules / GeneralMappingRules; an attribute
   * no rule matches is the span's input; a metadata attribute keeps its full key, a JSON string is parsed): the
   * provider as gen_ai.system, no double cost, the agent's cache/reasoning counts under the calculator's names,
   * error.message from the status, and one opik.metadata object holding request parameters and response details
   * under short names and every other attribute outside Opik's namespaces under its own name.
   */
  @Test
  void opikGetsProviderUsageErrorsAndOnlyTheConversationAsInputOutput() {
    TelemetryRun run = healthy();
    Map<String, ReceivedSpan> plain = bySpanId(run.receiver("otlp").spans());
    List<String> understood = List.of("gen_ai.", "llm.", "error.", "server.", "input.", "output.", "opik.");
    Set<String> keptRequest = Set.of("gen_ai.request.model", "gen_ai.request.temperature");
    Set<String> keptResponse = Set.of("gen_ai.response.model", "gen_ai.response.id", "gen_ai.response.finish_reasons");
    Map<String, String> usageNames = Map.of(
        "gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.cache_read_input_tokens",
        "gen_ai.usage.cache_creation.input_tokens", "gen_ai.usage.cache_creation_input_tokens",
        "gen_ai.usage.reasoning.output_tokens", "gen_ai.usage.completion_tokens_details.reasoning_tokens");
    int errors = 0;
    for (ReceivedSpan s : run.receiver("opik").spans()) {
      ReceivedSpan original = plain.get(s.spanId());
      Map<String, Object> expected = new TreeMap<>();
      Map<String, Object> expectedMetadata = new TreeMap<>();
      original.attributes().forEach((k, v) -> {
        if (k.equals("gen_ai.usage.cost")) return;
        if (usageNames.containsKey(k)) expected.put(usageNames.get(k), v);
        else if (k.equals("gen_ai.provider.name")) {
          expectedMetadata.put("provider_name", v);
          expected.put("gen_ai.system", v);
        } else if (k.startsWith("gen_ai.request.") && !keptRequest.contains(k)) {
          expectedMetadata.put(k.substring("gen_ai.request.".length()), v);
        } else if (k.startsWith("gen_ai.response.") && !keptResponse.contains(k)) {
          expectedMetadata.put(k.substring("gen_ai.response.".length()), v);
        } else if (k.equals("gen_ai.output.type")) expectedMetadata.put("output_type", v);
        else if (understood.stream().anyMatch(k::startsWith)) expected.put(k, v);
        else expectedMetadata.put(k, v);
      });
      if (original.statusCode() == io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR
          && !original.span().getStatus().getMessage().isEmpty()) {
        expected.put("error.message", original.span().getStatus().getMessage());
        errors++;
      }
      Map<String, Object> actual = new TreeMap<>(s.attributes());
      actual.remove("opik.metadata");
      assertAll("Opik's view of " + original,
          () -> assertEquals(expected, actual, "attributes"),
          () -> assertEquals(expectedMetadata, opikMetadata(s), "the opik.metadata object"));
    }
    ReceivedSpan chat = run.receiver("opik").spans().stream().filter(s -> s.name().equals("chat gpt-4o-mini")
        && !opikMetadata(s).containsKey("stream")).findFirst().orElseThrow();
    ReceivedSpan stream = run.receiver("opik").spans().stream().filter(s -> opikMetadata(s).containsKey("stream"))
        .findFirst().orElseThrow();
    int errorSpans = errors;
    assertAll(run.describe(),
        () -> assertEquals("openai", chat.attr("gen_ai.system"), "the provider Opik prices by"),
        () -> assertFalse(chat.has("gen_ai.usage.cost"), "a double Opik's usage rule drops"),
        () -> assertEquals(11L, chat.attr("gen_ai.usage.input_tokens"), "integer usage for Opik"),
        () -> assertEquals((long) dev.llmotel.it.simulator.OpenAiPayloads.CACHED_TOKENS, chat.attr("gen_ai.usage.cache_read_input_tokens"), "cached tokens as Opik reads them"),
        () -> assertEquals(200L, opikMetadata(chat).get("http.response.status_code")),
        () -> assertFalse(chat.has("http.response.status_code")),
        () -> assertEquals("completed", opikMetadata(stream).get("llmotel.stream.outcome")),
        () -> assertTrue(opikMetadata(stream).get("time_to_first_chunk") instanceof Double, "time to first chunk"),
        () -> assertFalse(stream.has(LlmSpanAssertions.TTFC), "not in Opik's output"),
        () -> assertTrue(errorSpans >= 1, "the rate-limited call shows its error message"),
        () -> run.receiver("opik").spans().forEach(s -> assertTrue(s.attributes().keySet().stream().noneMatch(
            k -> k.startsWith("gen_ai.request.") && !keptRequest.contains(k)
                || k.startsWith("gen_ai.response.") && !keptResponse.contains(k)), "input/output: " + s)));
  }

  @Test
  void openObserveGetsTheSpansUnchanged() {
    TelemetryRun run = healthy();
    Map<String, ReceivedSpan> plain = bySpanId(run.receiver("otlp").spans());
    for (ReceivedSpan s : run.receiver("openobserve").spans()) {
      ReceivedSpan original = plain.get(s.spanId());
      assertEquals(original.attributes(), s.attributes(), s.toString());
      assertEquals(original.name(), s.name());
      assertEquals(original.serviceName(), s.serviceName());
    }
  }

  @Test
  void healthyBackendsCostNoLogLine() {
    TelemetryRun run = healthy();
    assertAll(run.describe(),
        () -> assertEquals(0, run.jvm().exitCode()),
        () -> assertEquals(List.of(), stderrLines(run), "stderr with every backend healthy"));
  }

  /** Opik set up only in {@code .env}, as its guide does; the real environment's OPIK_PROJECT_NAME wins. */
  @Test
  void dotEnvFileInTheWorkingDirectory() {
    TelemetryRun run = broken();
    OtlpReceiver opik = run.receiver("opik");
    assertAll(run.describe(),
        () -> assertEquals(OKHTTP_SPANS, opik.spans().size(), "spans at Opik"),
        () -> assertTrue(opik.requests().stream().allMatch(q -> q.status() == 200), "Opik accepted them"),
        () -> opik.requests().forEach(q -> assertAll(q.toString(),
            () -> assertEquals(DOTENV_OPIK_KEY, q.header("Authorization")),
            () -> assertEquals(DOTENV_OPIK_WORKSPACE, q.header("Comet-Workspace")),
            () -> assertEquals(ENV_OPIK_PROJECT, q.header("projectName"), "the real environment wins"))),
        () -> opik.spans().forEach(s -> assertEquals(DOTENV_SERVICE, s.serviceName(), "OTEL_SERVICE_NAME from .env")));
  }

  @Test
  void langfuseKeyWithoutSecretWarnsOnceNamingTheVariable() {
    TelemetryRun run = broken();
    List<String> lines = stderrLines(run).stream().filter(l -> l.contains("LANGFUSE_SECRET_KEY")).toList();
    assertAll(run.describe(),
        () -> assertEquals(1, lines.size(), "lines naming LANGFUSE_SECRET_KEY: " + lines),
        () -> assertTrue(lines.stream().allMatch(l -> l.startsWith(WARN)), lines.toString()),
        () -> assertEquals(0, run.receiver("langfuse").requests().size(), "nothing sent to a half-configured Langfuse"),
        () -> assertEquals(OKHTTP_SPANS, run.receiver("opik").spans().size(), "the other destinations still work"));
  }

  /** One span per batch, so several 401s: still one line, naming the destination and the variable to fix. */
  @Test
  void unauthorizedBackendWarnsOnceHoweverManyBatches() {
    TelemetryRun run = broken();
    List<ReceivedRequest> rejected = run.receiver("openobserve").requests().stream()
        .filter(ReceivedRequest::isTraces).toList();
    List<String> lines = stderrLines(run).stream().filter(l -> l.toLowerCase(Locale.ROOT).contains("openobserve")
        || l.contains("401") || l.contains("Failed to export")).toList();
    assertAll(run.describe(),
        () -> assertTrue(rejected.size() >= 2, "several batches were refused: " + rejected),
        () -> assertTrue(rejected.stream().allMatch(q -> q.status() == 401), rejected.toString()),
        () -> assertEquals(1, lines.size(), "stderr lines about the refused export: " + lines),
        () -> assertTrue(lines.get(0).startsWith(WARN) && lines.get(0).contains("openobserve")
            && lines.get(0).contains("401") && lines.get(0).contains("OPENOBSERVE_AUTH_TOKEN"), lines.get(0)));
  }

  @Test
  void brokenBackendsLeaveTheAppAlone() {
    TelemetryRun run = broken();
    AppRun reference = new OkHttpAppTest().run(Jdk.current());
    assertAll(run.describe(),
        () -> assertEquals(0, run.jvm().exitCode()),
        () -> assertEquals(reference.plain().stdout(), run.jvm().stdout(), "stdout as without the agent"),
        () -> assertEquals(2, stderrLines(run).stream().filter(l -> l.startsWith("[llm-otel-agent]")).count(),
            "the agent's own lines: the two warnings only, got " + stderrLines(run)));
  }
}
