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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
    assertTrue(queried.containsAll(Set.of("gen_ai_request_model", "gen_ai_operation_name", "span_status",
        "error_type")), queried.toString());
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
    assertTrue(panels >= 8, "PromQL panels: " + panels);
    assertEquals(List.of(), problems, "not exported (streams " + streams + ", labels " + labels + ")");
    Set<String> queried = new TreeSet<>();
    for (JsonNode p : openObservePanels()) {
      if (p.path("queryType").asText().equals("promql")) {
        for (JsonNode q : p.get("queries")) queried.addAll(promql(q.path("query").asText()).metrics());
      }
    }
    assertTrue(queried.containsAll(Set.of("gen_ai_client_operation_duration_count",
        "gen_ai_client_operation_duration_bucket", "gen_ai_client_token_usage_sum", "gen_ai_usage_cost_sum",
        "gen_ai_client_operation_time_to_first_chunk_bucket")), queried.toString());
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
  // ---- counting rules: a retried call is one call

  /**
   * OpenObserve fills in estimated {@code gen_ai.usage.*} and cost on LLM spans that lack them (v0.92.2
   * src/core/src/traces/otel/processor.rs emit_enriched_attributes, insert_if_absent), for example on the logical span
   * of a retried call, whose usage is on its answering attempt ({@code llmotel.usage.on_child_span=true}): a SQL panel
   * summing those columns would count such a call twice. Tokens and cost come from the metrics; a SQL panel that
   * sums a usage column must exclude those spans.
   */
  @Test
  void noSqlPanelSumsUsageOrCostColumnsOfSpansOpenObserveMayEnrich() {
    for (JsonNode p : openObservePanels()) {
      if (!p.path("queryType").asText().equals("sql")) continue;
      for (JsonNode q : p.get("queries")) {
        String sql = q.path("query").asText();
        boolean usage = sqlColumns(sql).stream().anyMatch(c -> c.startsWith("gen_ai_usage_"));
        assertTrue(!usage || sql.contains("llmotel_usage_on_child_span"), p.path("title").asText() + ": " + sql);
      }
    }
  }

  /**
   * A call its library retried (simulator model {@code sim-flaky-mixed}: 429, 500, then the answer; anthropic-java
   * {@code retries}: a message and a streamed message, the run {@link RetriedCallsAppTest} checks) is exported as one
   * logical span with one child span per attempt, all of them carrying {@code gen_ai.operation.name}, and with one
   * {@code gen_ai.client.operation.duration} record. The dashboard's calls, errors and latency panels, evaluated on
   * that run's exported spans and metrics the way OpenObserve would, count each logical call once and no failed call.
   * The evaluation ({@link #evaluate}) is simplified: the whole run is one time window, so {@code rate} /
   * {@code increase} of a cumulative count is its final value (proportional to it), and a SQL {@code count(*)} is
   * the number of spans its WHERE clause admits.
   */
  @Test
  void aRetriedCallCountsOnceInTheCallErrorAndLatencyPanels() {
    TelemetryRun run = RetriedCallsAppTest.run(Jdk.current(), "anthropic-java", "retries");
    List<ReceivedSpan> spans = run.receiver("otlp").spans(s -> s.scopeName().equals("llm-otel-agent"));
    long logicalCalls = spans.stream().filter(s -> s.has("llmotel.retry.count")).count();
    assertEquals(2, logicalCalls, run.describe());
    // what the former SQL rules counted: every span with gen_ai.operation.name, failed attempts as errors
    assertEquals(8L, evaluate("SELECT histogram(_timestamp) AS x_axis_1, count(*) AS y_axis_1 FROM \"default\" "
        + "WHERE gen_ai_operation_name IS NOT NULL GROUP BY x_axis_1", run).values().stream().mapToLong(l -> l).sum());
    assertEquals(4L, evaluate("SELECT histogram(_timestamp) AS x_axis_1, count(*) AS y_axis_1 FROM \"default\" "
        + "WHERE gen_ai_operation_name IS NOT NULL AND span_status = 'ERROR' GROUP BY x_axis_1", run).values()
        .stream().mapToLong(l -> l).sum());

    assertEquals(logicalCalls, total(panel("Panel_calls"), run), "calls");
    assertEquals(0L, failed(panel("Panel_errors"), run), "failed calls (both calls got their answer)");
    for (JsonNode q : panel("Panel_latency").get("queries")) {
      assertEquals(logicalCalls, total(q.path("query").asText(), run), "latency observations: " + q);
    }
  }

  static JsonNode panel(String id) {
    return openObservePanels().stream().filter(p -> p.path("id").asText().equals(id)).findFirst()
        .orElseThrow(() -> new AssertionError("no panel " + id));
  }

  static long total(JsonNode panel, TelemetryRun run) {
    long n = 0;
    for (JsonNode q : panel.get("queries")) n += total(q.path("query").asText(), run);
    return n;
  }

  static long total(String query, TelemetryRun run) {
    return evaluate(query, run).values().stream().mapToLong(l -> l).sum();
  }

  /** Rows counted as failed calls: groups with an error_type when the query groups by it, else every row. */
  static long failed(JsonNode panel, TelemetryRun run) {
    long n = 0;
    for (JsonNode q : panel.get("queries")) {
      for (Map.Entry<Map<String, String>, Long> e : evaluate(q.path("query").asText(), run).entrySet()) {
        if (!e.getKey().containsKey("error_type") || !e.getKey().get("error_type").isEmpty()) n += e.getValue();
      }
    }
    return n;
  }

  static final Pattern PROMQL_COUNT = Pattern.compile(
      "(?:histogram_quantile\\(\\s*[0-9.]+\\s*,\\s*)?sum by \\(([^)]*)\\) \\((?:rate|increase)\\(([a-z_]+)"
          + "(?:\\{([^}]*)})?\\[\\w+]\\)\\)\\)?");
  static final Pattern SQL_COUNT = Pattern.compile(
      "SELECT .*count\\(\\*\\) AS \\w+ FROM \"default\" WHERE (.+?)(?: GROUP BY .*)?(?: ORDER BY .*)?");

  /**
   * Observations per group a panel query counts, the simplified way (class comment of the test above): a PromQL
   * {@code sum by (labels) (rate|increase(<histogram>_count|_bucket{matchers}[range]))} (optionally inside
   * {@code histogram_quantile}: its observations) → the final count of each agent histogram series, grouped by
   * the labels (an absent label is ""); a SQL {@code count(*)} over the traces stream → the spans its WHERE clause
   * admits ({@code col IS [NOT] NULL}, {@code col = 'v'}, joined by AND), in one group. Anything else fails.
   */
  static Map<Map<String, String>, Long> evaluate(String query, TelemetryRun run) {
    Map<Map<String, String>, Long> groups = new TreeMap<>(java.util.Comparator.comparing(Object::toString));
    Matcher prom = PROMQL_COUNT.matcher(query);
    if (prom.matches()) {
      List<String> by = new ArrayList<>();
      for (String l : prom.group(1).split("\\s*,\\s*")) if (!l.isBlank() && !l.equals("le")) by.add(l.trim());
      String stream = prom.group(2);
      String base = stream.replaceAll("_(count|bucket)$", "");
      assertTrue(!base.equals(stream), "a _count or _bucket stream: " + query);
      List<ReceivedMetric> metrics = agentMetrics(run).stream()
          .filter(m -> m.name().replaceAll("[^a-zA-Z0-9_:]+", "_").equals(base)).toList();
      assertFalse(metrics.isEmpty(), "no agent metric for " + stream);
      Map<String, String> matchers = new LinkedHashMap<>();
      if (prom.group(3) != null) {
        Matcher m = Pattern.compile("(\\w+)\\s*=\\s*\"([^\"]*)\"").matcher(prom.group(3));
        while (m.find()) matchers.put(m.group(1), m.group(2));
        assertEquals(prom.group(3).split(",").length, matchers.size(), "only = matchers are modelled: " + query);
      }
      for (HistogramPoint p : run.receiver("otlp").histogramSeries(metrics.get(0).name())) {
        Map<String, String> labels = new TreeMap<>();
        p.attributes().forEach((k, v) -> labels.put(formatKey(k), String.valueOf(v)));
        if (!matchers.entrySet().stream().allMatch(e -> e.getValue().equals(labels.getOrDefault(e.getKey(), "")))) {
          continue;
        }
        Map<String, String> group = new TreeMap<>();
        for (String l : by) group.put(l, labels.getOrDefault(l, ""));
        groups.merge(group, p.count(), Long::sum);
      }
      return groups;
    }
    Matcher sql = SQL_COUNT.matcher(query);
    assertTrue(sql.matches(), "a query the evaluation does not model: " + query);
    List<java.util.function.Predicate<Map<String, String>>> conditions = new ArrayList<>();
    for (String c : sql.group(1).split(" AND ")) {
      Matcher m = Pattern.compile("(\\w+) IS (NOT )?NULL|(\\w+) = '([^']*)'").matcher(c.trim());
      assertTrue(m.matches(), "a condition the evaluation does not model: " + c);
      if (m.group(1) != null) {
        String col = m.group(1);
        boolean notNull = m.group(2) != null;
        conditions.add(row -> row.containsKey(col) == notNull);
      } else {
        String col = m.group(3);
        String value = m.group(4);
        conditions.add(row -> value.equals(row.get(col)));
      }
    }
    long n = run.receiver("otlp").spans(s -> s.scopeName().equals("llm-otel-agent")).stream()
        .map(DashboardsTest::openObserveRow).filter(row -> conditions.stream().allMatch(c -> c.test(row))).count();
    groups.put(Map.of(), n);
    return groups;
  }

  /** A span as OpenObserve's traces stream row: flattened attribute columns and span_status. */
  static Map<String, String> openObserveRow(ReceivedSpan s) {
    Map<String, String> row = new TreeMap<>();
    s.attributes().forEach((k, v) -> row.put(formatKey(k), String.valueOf(v)));
    row.put("span_status", switch (s.statusCode()) {
      case STATUS_CODE_ERROR -> "ERROR";
      case STATUS_CODE_OK -> "OK";
      default -> "UNSET";
    });
    return row;
  }
}
