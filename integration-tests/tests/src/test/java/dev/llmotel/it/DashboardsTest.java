package dev.llmotel.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmotel.it.jvm.Jdk;
import dev.llmotel.it.otlp.HistogramPoint;
import dev.llmotel.it.otlp.ReceivedMetric;
import dev.llmotel.it.otlp.ReceivedSpan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ready-made dashboards ({@code exporter-config/dashboards/}) query only what the agent really exports: every
 * column, metric and label a panel names is taken from the panel's SQL / PromQL with the simple rules below and
 * must be one the agent sent in a real run (openai-java with metrics, the run {@link MetricsExportTest} reads: chat,
 * streams, embeddings, errors), after the backend's own naming. Plus: both files are valid JSON with the keys their
 * importers require.
 *
 * <p>Naming rules assumed (from the backends' source):
 * <ul>
 *   <li>OpenObserve traces (openobserve/openobserve src/core/src/traces/mod.rs, config/src/utils/flatten.rs
 *       {@code format_key}): a span attribute becomes a column named by lower-casing it and turning every character
 *       outside {@code [a-z0-9_]} into {@code _}; a resource attribute the same with a {@code service_} prefix;
 *       {@code service.name} is the column {@code service_name}; fixed columns {@code _timestamp}, {@code trace_id},
 *       {@code span_id}, {@code span_status}, {@code span_kind}, {@code operation_name}, {@code start_time},
 *       {@code end_time}, {@code duration} (µs).</li>
 *   <li>OpenObserve metrics (src/core/src/metrics/otlp.rs): each metric is its own stream, named by
 *       {@code format_stream_name} (characters outside {@code [a-zA-Z0-9_:]} → {@code _}); a histogram's rows land in
 *       {@code <name>_bucket} (label {@code le}), {@code _count}, {@code _sum}, {@code _min}, {@code _max}; point and
 *       resource attributes are labels named by {@code format_key}. No unit suffix.</li>
 *   <li>Prometheus (prometheus/otlptranslator, strategy UnderscoreEscapingWithSuffixes: the default of Prometheus's
 *       OTLP receiver and of the Collector's prometheus / prometheusremotewrite exporters): the name split on
 *       characters outside {@code [a-zA-Z0-9:]} and joined by {@code _}, then the unit: {@code s} → {@code seconds},
 *       a unit in braces ({@code {token}}) → nothing, an unknown unit ({@code USD}) kept as it is; a histogram is
 *       {@code _bucket} / {@code _sum} / {@code _count}; a label is the attribute key with every character outside
 *       {@code [a-zA-Z0-9_]} → {@code _}; the resource becomes {@code job} ({@code service.name}) and
 *       {@code instance}.</li>
 * </ul>
 *
 * <p>Extraction rules (deliberately simple; a query they cannot read fails the test rather than passing):
 * <ul>
 *   <li>SQL: drop {@code '...'} literals and {@code "..."} quoted names (the stream); every remaining word
 *       {@code [A-Za-z_][A-Za-z0-9_]*} that is not a number, not a keyword of {@link #SQL_KEYWORDS}, not followed by
 *       {@code (} (a function) and not an alias the query defines ({@code AS name}, used again in
 *       {@code GROUP BY} / {@code ORDER BY}) is a column.</li>
 *   <li>PromQL: drop {@code "..."} literals, {@code [...]} ranges and {@code $variables}; words inside
 *       {@code by (...)} / {@code without (...)} and the left side of {@code {a="b"}} matchers are labels; a word
 *       followed by {@code (} or in {@link #PROMQL_WORDS} is a function or keyword; a number is a number; every other
 *       word is a metric name. Legend templates ({@code {{label}}} in Grafana, {@code {label}} in OpenObserve) name
 *       labels.</li>
 * </ul>
 */
class DashboardsTest {
  static final Path DASHBOARDS = Path.of("../../exporter-config/dashboards").toAbsolutePath().normalize();
  static final Path OPENOBSERVE = DASHBOARDS.resolve("openobserve-llm-calls.json");
  static final Path GRAFANA = DASHBOARDS.resolve("grafana-llm-calls.json");

  static final Set<String> SQL_KEYWORDS = Set.of("select", "from", "where", "group", "by", "order", "as", "and", "or",
      "not", "is", "null", "case", "when", "then", "else", "end", "asc", "desc", "limit", "in", "distinct", "having");
  static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
      "bool", "offset", "and", "or", "unless", "sum", "avg", "min", "max", "count", "topk", "bottomk", "quantile");
  static final Set<String> OPENOBSERVE_TRACE_COLUMNS = Set.of("_timestamp", "trace_id", "span_id", "span_status",
      "span_kind", "operation_name", "start_time", "end_time", "duration", "service_name");
  static final List<String> HISTOGRAM_SERIES = List.of("_bucket", "_sum", "_count");

  static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  static JsonNode openObserve;
  static JsonNode grafana;

  @BeforeAll
  static void load() throws IOException {
    openObserve = JSON.readTree(Files.readString(OPENOBSERVE));
    grafana = JSON.readTree(Files.readString(GRAFANA));
  }

  private static TelemetryRun run() { return TelemetryScenarios.openAiJavaWithMetricsAndContent(Jdk.current()); }

  // ---- what the agent exported, named as each backend names it

  /** OpenObserve's trace columns for the LLM spans of the run. */
  static Set<String> openObserveTraceColumns(TelemetryRun run) {
    Set<String> columns = new TreeSet<>(OPENOBSERVE_TRACE_COLUMNS);
    for (ReceivedSpan s : run.llmSpans("otlp")) {
      for (String key : s.attributes().keySet()) columns.add(formatKey(key));
      for (String key : keys(s.resource().getAttributesList())) {
        if (!key.equals("service.name")) columns.add(formatKey("service_" + key));
      }
    }
    return columns;
  }

  /** OpenObserve's metric streams for the agent's metrics (histograms: the series' streams). */
  static Set<String> openObserveMetricStreams(TelemetryRun run) {
    Set<String> streams = new TreeSet<>();
    for (ReceivedMetric m : agentMetrics(run)) {
      String base = m.name().replaceAll("[^a-zA-Z0-9_:]+", "_");
      for (String suffix : List.of("_bucket", "_sum", "_count", "_min", "_max")) streams.add(base + suffix);
    }
    return streams;
  }

  static Set<String> openObserveMetricLabels(TelemetryRun run) {
    Set<String> labels = new TreeSet<>(Set.of("le", "__name__"));
    for (ReceivedMetric m : agentMetrics(run)) {
      for (String key : keys(m.resource().getAttributesList())) labels.add(formatKey(key));
      for (HistogramPoint p : m.histogramPoints()) for (String key : p.attributes().keySet()) labels.add(formatKey(key));
    }
    return labels;
  }

  static Set<String> prometheusMetrics(TelemetryRun run) {
    Set<String> names = new TreeSet<>();
    for (ReceivedMetric m : agentMetrics(run)) {
      String base = prometheusName(m.name(), m.unit());
      for (String suffix : HISTOGRAM_SERIES) names.add(base + suffix);
    }
    return names;
  }

  static Set<String> prometheusLabels(TelemetryRun run) {
    Set<String> labels = new TreeSet<>(Set.of("le", "job", "instance"));
    for (ReceivedMetric m : agentMetrics(run)) {
      for (HistogramPoint p : m.histogramPoints()) {
        for (String key : p.attributes().keySet()) labels.add(key.replaceAll("[^a-zA-Z0-9_]", "_"));
      }
    }
    return labels;
  }

  static List<ReceivedMetric> agentMetrics(TelemetryRun run) {
    List<ReceivedMetric> metrics = run.receiver("otlp").metrics().stream()
        .filter(m -> m.scopeName().equals("llm-otel-agent")).toList();
    assertFalse(metrics.isEmpty(), "no agent metrics in the run\n" + run.describe());
    for (ReceivedMetric m : metrics) {
      assertEquals(io.opentelemetry.proto.metrics.v1.Metric.DataCase.HISTOGRAM, m.type(), m.toString());
    }
    return metrics;
  }

  static List<String> keys(List<io.opentelemetry.proto.common.v1.KeyValue> attributes) {
    return attributes.stream().map(io.opentelemetry.proto.common.v1.KeyValue::getKey).toList();
  }

  /** OpenObserve's format_key: lower case, every character outside [a-z0-9_] becomes _. */
  static String formatKey(String key) {
    return key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
  }

  /** prometheus/otlptranslator normalizeName for the units the agent uses. */
  static String prometheusName(String name, String unit) {
    List<String> tokens = new ArrayList<>();
    for (String t : name.split("[^a-zA-Z0-9:]+")) if (!t.isEmpty()) tokens.add(t);
    String main = unit.split("/", 2)[0].trim();
    String suffix;
    if (main.isEmpty() || main.contains("{") || main.equals("1")) suffix = "";
    else suffix = switch (main) {
      case "s" -> "seconds";
      case "ms" -> "milliseconds";
      case "By" -> "bytes";
      default -> main.replaceAll("[^a-zA-Z0-9:]", "_");
    };
    if (unit.contains("/")) throw new AssertionError("per-units are not modelled here: " + unit);
    if (!suffix.isEmpty() && !tokens.contains(suffix)) tokens.add(suffix);
    return String.join("_", tokens);
  }

  // ---- what the dashboards query

  /** Columns an OpenObserve SQL query names (rules in the class comment). */
  static Set<String> sqlColumns(String sql) {
    String s = sql.replaceAll("'[^']*'", " ").replaceAll("\"[^\"]*\"", " ");
    Set<String> aliases = new LinkedHashSet<>();
    Matcher as = Pattern.compile("(?i)\\bAS\\s+([A-Za-z_][A-Za-z0-9_]*)").matcher(s);
    while (as.find()) aliases.add(as.group(1));
    Set<String> columns = new LinkedHashSet<>();
    Matcher m = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*|\\d+(\\.\\d+)?").matcher(s);
    while (m.find()) {
      String word = m.group();
      boolean function = s.substring(m.end()).matches("(?s)\\s*\\(.*");
      if (Character.isDigit(word.charAt(0)) || function || aliases.contains(word)
          || SQL_KEYWORDS.contains(word.toLowerCase(Locale.ROOT))) {
        continue;
      }
      columns.add(word);
    }
    return columns;
  }

  /** Metric names and labels a PromQL expression names (rules in the class comment). */
  record PromRefs(Set<String> metrics, Set<String> labels) {}

  static PromRefs promql(String expr) {
    String s = expr.replaceAll("\"[^\"]*\"", "\"\"").replaceAll("\\[[^]]*]", " ").replaceAll("\\$\\w+", " ");
    Set<String> metrics = new LinkedHashSet<>();
    Set<String> labels = new LinkedHashSet<>();
    Matcher grouping = Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)").matcher(s);
    while (grouping.find()) for (String l : grouping.group(1).split("\\s*,\\s*")) if (!l.isBlank()) labels.add(l.trim());
    s = grouping.replaceAll(" ");
    Matcher matchers = Pattern.compile("\\{([^}]*)}").matcher(s);
    while (matchers.find()) {
      Matcher label = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*(=~|!~|!=|=)").matcher(matchers.group(1));
      while (label.find()) labels.add(label.group(1));
    }
    s = matchers.replaceAll(" ");
    Matcher word = Pattern.compile("[A-Za-z_:][A-Za-z0-9_:]*|\\d+(\\.\\d+)?").matcher(s);
    while (word.find()) {
      String w = word.group();
      boolean function = s.substring(word.end()).matches("(?s)\\s*\\(.*");
      if (Character.isDigit(w.charAt(0)) || function || PROMQL_WORDS.contains(w)) continue;
      metrics.add(w);
    }
    return new PromRefs(metrics, labels);
  }

  /** Labels a legend template names: {{label}} (Grafana) or {label} (OpenObserve). */
  static Set<String> legendLabels(String legend) {
    Set<String> labels = new LinkedHashSet<>();
    Matcher m = Pattern.compile("\\{\\{?\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}?").matcher(legend == null ? "" : legend);
    while (m.find()) labels.add(m.group(1));
    return labels;
  }

  static List<JsonNode> openObservePanels() {
    List<JsonNode> panels = new ArrayList<>();
    for (JsonNode tab : openObserve.get("tabs")) tab.get("panels").forEach(panels::add);
    return panels;
  }

  // ---- tests

  @Test
  void openObserveDashboardIsAnImportableVersion8Dashboard() {
    // Required by OpenObserve's v8 Dashboard / Tab / Panel / Query / PanelFields / QueryConfig / PanelConfig
    // (src/config/src/meta/dashboards/v8/mod.rs: the fields without a serde default); 8 is the web app's
    // CURRENT_DASHBOARD_SCHEMA_VERSION (web/src/utils/dashboard/convertDashboardSchemaVersion.ts).
    assertEquals(8, openObserve.path("version").asInt());
    assertTrue(openObserve.path("title").isTextual() && openObserve.path("description").isTextual());
    assertTrue(openObserve.path("tabs").isArray() && !openObserve.path("tabs").isEmpty());
    for (JsonNode tab : openObserve.get("tabs")) {
      assertTrue(tab.path("tabId").isTextual() && tab.path("name").isTextual(), tab.toString());
    }
    Set<String> ids = new TreeSet<>();
    List<JsonNode> panels = openObservePanels();
    assertTrue(panels.size() >= 8, "panels: " + panels.size());
    for (JsonNode p : panels) {
      String where = p.path("title").asText();
      assertAll(where,
          () -> assertTrue(ids.add(p.path("id").asText()), "unique panel id"),
          () -> assertTrue(p.path("type").isTextual() && p.path("description").isTextual()),
          () -> assertTrue(p.path("config").path("show_legends").isBoolean(), "config.show_legends"),
          () -> assertTrue(Set.of("sql", "promql").contains(p.path("queryType").asText()), "queryType"),
          () -> assertTrue(p.path("layout").path("w").asInt() > 0 && p.path("layout").path("h").asInt() > 0),
          () -> assertFalse(p.path("queries").isEmpty(), "queries"));
      for (JsonNode q : p.get("queries")) {
        JsonNode f = q.path("fields");
        assertAll(where,
            () -> assertTrue(q.path("query").isTextual() && !q.path("query").asText().isBlank(), "query"),
            () -> assertTrue(q.path("customQuery").isBoolean(), "customQuery"),
            () -> assertTrue(q.path("config").path("promql_legend").isTextual(), "config.promql_legend"),
            () -> assertTrue(f.path("stream").isTextual() && !f.path("stream").asText().isEmpty(), "fields.stream"),
            () -> assertTrue(Set.of("traces", "metrics").contains(f.path("stream_type").asText()), "stream_type"),
            () -> assertTrue(f.path("x").isArray() && f.path("y").isArray(), "fields.x / y"),
            () -> assertEquals("group", f.path("filter").path("filterType").asText(), "fields.filter"));
        for (String axis : List.of("x", "y", "breakdown")) {
          for (JsonNode item : f.path(axis)) {
            assertTrue(item.path("label").isTextual() && item.path("alias").isTextual(), where + " " + axis);
            // a custom query's axis item names a column of the query's result: its alias there
            assertTrue(q.path("query").asText().contains(" AS " + item.path("alias").asText()),
                where + ": axis " + item.path("alias").asText() + " is not an alias of the query");
          }
        }
      }
    }
  }

  @Test
  void grafanaDashboardIsImportable() {
    assertAll(
        () -> assertTrue(grafana.path("title").isTextual()),
        () -> assertTrue(grafana.path("uid").isTextual()),
        () -> assertTrue(grafana.path("schemaVersion").asInt() >= 36, "schemaVersion"),
        () -> assertTrue(grafana.path("panels").isArray() && grafana.path("panels").size() >= 6),
        () -> assertTrue(grafana.path("time").has("from")),
        () -> assertFalse(grafana.has("__inputs"), "no import-time inputs: the datasource is a variable"));
    Set<String> variables = new TreeSet<>();
    for (JsonNode v : grafana.path("templating").path("list")) variables.add(v.path("name").asText());
    assertTrue(variables.contains("datasource"), variables.toString());
    Set<Integer> ids = new TreeSet<>();
    for (JsonNode p : grafana.get("panels")) {
      String where = p.path("title").asText();
      assertAll(where,
          () -> assertTrue(ids.add(p.path("id").asInt()), "unique id"),
          () -> assertEquals("${datasource}", p.path("datasource").path("uid").asText()),
          () -> assertTrue(p.path("gridPos").path("w").asInt() > 0),
          () -> assertFalse(p.path("targets").isEmpty()));
      for (JsonNode t : p.get("targets")) {
        Matcher used = Pattern.compile("\\$(\\w+)").matcher(t.path("expr").asText());
        while (used.find()) {
          String v = used.group(1);
          assertTrue(variables.contains(v) || v.startsWith("__"), where + ": undefined variable $" + v);
        }
      }
    }
  }

  /** Every column an OpenObserve SQL panel names is an exported attribute (flattened) or a fixed trace column. */
  @Test
  void openObserveSqlPanelsQueryOnlyExportedColumns() {
    TelemetryRun run = run();
    Set<String> exported = openObserveTraceColumns(run);
    List<String> problems = new ArrayList<>();
    Set<String> queried = new TreeSet<>();
    for (JsonNode p : openObservePanels()) {
      for (JsonNode q : p.get("queries")) {
        if (!p.path("queryType").asText().equals("sql")) continue;
        assertEquals("traces", q.path("fields").path("stream_type").asText(), p.path("title").asText());
        for (String column : sqlColumns(q.path("query").asText())) {
          queried.add(column);
          if (!exported.contains(column)) problems.add(p.path("title").asText() + ": " + column);
        }
      }
    }
    assertEquals(List.of(), problems, "columns the agent does not export (exported: " + exported + ")");
    // the rules found what the panels are about (so an empty extraction cannot pass)
    assertTrue(queried.containsAll(Set.of("gen_ai_request_model", "gen_ai_provider_name", "gen_ai_usage_input_tokens",
        "gen_ai_usage_output_tokens", "gen_ai_usage_cost", "gen_ai_response_time_to_first_chunk", "duration",
        "span_status", "error_type")), queried.toString());
  }

  /** Every metric stream and label an OpenObserve PromQL panel names comes from the agent's metrics. */
  @Test
  void openObservePromqlPanelsQueryOnlyExportedMetrics() {
    TelemetryRun run = run();
    Set<String> streams = openObserveMetricStreams(run);
    Set<String> labels = openObserveMetricLabels(run);
    List<String> problems = new ArrayList<>();
    int panels = 0;
    for (JsonNode p : openObservePanels()) {
      if (!p.path("queryType").asText().equals("promql")) continue;
      panels++;
      for (JsonNode q : p.get("queries")) {
        PromRefs refs = promql(q.path("query").asText());
        assertFalse(refs.metrics().isEmpty(), p.path("title").asText());
        assertTrue(refs.metrics().contains(q.path("fields").path("stream").asText()),
            p.path("title").asText() + ": fields.stream is the metric queried");
        for (String m : refs.metrics()) if (!streams.contains(m)) problems.add(p.path("title").asText() + ": " + m);
        Set<String> used = new TreeSet<>(refs.labels());
        used.addAll(legendLabels(q.path("config").path("promql_legend").asText()));
        for (String l : used) if (!labels.contains(l)) problems.add(p.path("title").asText() + ": label " + l);
      }
    }
    assertTrue(panels >= 2, "PromQL panels: " + panels);
    assertEquals(List.of(), problems, "not exported (streams " + streams + ", labels " + labels + ")");
  }

  /** Every metric and label the Grafana dashboard names is one Prometheus makes of the agent's metrics. */
  @Test
  void grafanaPanelsQueryOnlyExportedMetrics() {
    TelemetryRun run = run();
    Set<String> metrics = prometheusMetrics(run);
    Set<String> labels = prometheusLabels(run);
    List<String> problems = new ArrayList<>();
    Set<String> queried = new TreeSet<>();
    List<String> expressions = new ArrayList<>();
    for (JsonNode p : grafana.get("panels")) {
      for (JsonNode t : p.get("targets")) {
        expressions.add(t.path("expr").asText());
        for (String l : legendLabels(t.path("legendFormat").asText())) {
          if (!labels.contains(l)) problems.add(p.path("title").asText() + ": legend label " + l);
        }
      }
    }
    Pattern labelValues = Pattern.compile("label_values\\(\\s*([^,\\s]+)\\s*,\\s*([^)\\s]+)\\s*\\)");
    for (JsonNode v : grafana.path("templating").path("list")) {
      if (!v.path("type").asText().equals("query")) continue;
      Matcher m = labelValues.matcher(v.path("definition").asText());
      assertTrue(m.matches(), "variable " + v.path("name").asText() + " is label_values(metric, label)");
      expressions.add(m.group(1) + "{" + m.group(2) + "!=\"\"}");
    }
    for (String expr : expressions) {
      PromRefs refs = promql(expr);
      assertFalse(refs.metrics().isEmpty(), expr);
      queried.addAll(refs.metrics());
      for (String m : refs.metrics()) if (!metrics.contains(m)) problems.add(m + " in " + expr);
      for (String l : refs.labels()) if (!labels.contains(l)) problems.add("label " + l + " in " + expr);
    }
    assertEquals(List.of(), problems, "not exported (metrics " + metrics + ", labels " + labels + ")");
    assertTrue(queried.containsAll(Set.of("gen_ai_client_operation_duration_seconds_bucket",
        "gen_ai_client_token_usage_sum", "gen_ai_usage_cost_USD_sum",
        "gen_ai_client_operation_time_to_first_chunk_seconds_bucket")), queried.toString());
  }

  /** The checks catch what they are for: a field, metric or label the agent does not send is reported. */
  @Test
  void theExtractionRulesReportNamesTheAgentDoesNotSend() {
    assertEquals(Set.of("gen_ai_request_model", "gen_ai_usage_total_tokens", "span_status"),
        sqlColumns("SELECT histogram(_timestamp) AS x_axis_1, gen_ai_request_model AS breakdown_1, "
            + "sum(gen_ai_usage_total_tokens) AS y_axis_1 FROM \"default\" WHERE span_status = 'ERROR' "
            + "GROUP BY x_axis_1, breakdown_1").stream().filter(c -> !c.equals("_timestamp"))
            .collect(java.util.stream.Collectors.toSet()));
    PromRefs refs = promql("histogram_quantile(0.95, sum by (le, gen_ai_request_model) "
        + "(rate(gen_ai_client_operation_duration_bucket{gen_ai_system=~\"$provider\"}[$__rate_interval])))");
    assertEquals(Set.of("gen_ai_client_operation_duration_bucket"), refs.metrics());
    assertEquals(Set.of("le", "gen_ai_request_model", "gen_ai_system"), refs.labels());
    assertEquals(Set.of("gen_ai_request_model", "gen_ai_token_type"),
        legendLabels("{{gen_ai_request_model}} {gen_ai_token_type}"));
    assertEquals("gen_ai_client_operation_duration_seconds", prometheusName("gen_ai.client.operation.duration", "s"));
    assertEquals("gen_ai_client_token_usage", prometheusName("gen_ai.client.token.usage", "{token}"));
    assertEquals("gen_ai_usage_cost_USD", prometheusName("gen_ai.usage.cost", "USD"));
    assertEquals("gen_ai_usage_input_tokens", formatKey("gen_ai.usage.input_tokens"));

    TelemetryRun run = run();
    Set<String> columns = openObserveTraceColumns(run);
    assertFalse(columns.contains("gen_ai_usage_total_tokens"), "the agent sends no total: " + columns);
    assertFalse(columns.contains("gen_ai.request.model"), "unflattened names are not columns");
    assertFalse(prometheusLabels(run).contains("gen_ai_system"), "gen_ai.system is only in Opik's view");
    assertFalse(prometheusMetrics(run).contains("gen_ai_client_operation_duration_bucket"),
        "Prometheus adds the unit: _seconds_bucket");
    assertNotNull(run.receiver("otlp"));
  }
}
