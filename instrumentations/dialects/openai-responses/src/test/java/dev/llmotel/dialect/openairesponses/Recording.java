package dev.llmotel.dialect.openairesponses;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.DialectCall;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.dialect.RequestFacts;
import dev.llmotel.dialect.ResponseFacts;
import dev.llmotel.dialect.UsageFacts;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.HeaderLookup;
import dev.llmotel.wire.JsonLimits;
import dev.llmotel.wire.JsonTreeReader;
import dev.llmotel.wire.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One recorded exchange in the dialect kit's format ({@code request.http}, {@code response.http}, {@code expected.json},
 * optional {@code recording.properties}), replayed through a dialect and its facts compared with the expected ones.
 * A stand-in until the dialect kit ({@code dev.llmotel.testkit.dialect}) lands; same format, same keys.
 */
final class Recording {
  final String name;
  final String method;
  final URI url;
  final Map<String, String> requestHeaders;
  final byte[] requestBody;
  final int status;
  final Map<String, String> responseHeaders;
  final byte[] responseBody;
  final Map<String, Object> expected;
  final boolean captureContent;
  final boolean complete;

  private Recording(Path dir) throws IOException {
    name = dir.getFileName().toString();
    Message request = Message.read(dir.resolve("request.http"));
    String[] requestLine = request.firstLine.split(" ", 2);
    method = requestLine[0];
    url = URI.create(requestLine[1].trim());
    requestHeaders = request.headers;
    requestBody = request.body;
    Message response = Message.read(dir.resolve("response.http"));
    status = Integer.parseInt(response.firstLine.trim());
    responseHeaders = response.headers;
    responseBody = response.body;
    expected = asMap(parseJson(Files.readAllBytes(dir.resolve("expected.json"))));
    Properties props = new Properties();
    Path propsFile = dir.resolve("recording.properties");
    if (Files.exists(propsFile)) props.load(new StringReader(Files.readString(propsFile)));
    captureContent = Boolean.parseBoolean(props.getProperty("capture-content", "false"));
    complete = Boolean.parseBoolean(props.getProperty("complete", "true"));
  }

  static List<Recording> all(Path root) throws IOException {
    List<Recording> out = new ArrayList<>();
    try (var dirs = Files.list(root)) {
      for (Path d : dirs.sorted().toList()) if (Files.isDirectory(d)) out.add(new Recording(d));
    }
    return out;
  }

  DialectContext context() {
    return captureContent ? new DialectContext(1 << 20, 64L << 20, 64 * 1024, true, 100_000) : DialectContext.defaults();
  }

  ExchangeRequest exchangeRequest() {
    return new ExchangeRequest(method, url.getScheme(), url.getHost(), url.getPort(), url.getRawPath(),
        url.getRawQuery(), lookup(requestHeaders));
  }

  /**
   * Replays the exchange: the request body cut at {@code requestSplit} and the response body at
   * {@code responseSplit} (0 or the length: in one piece); feeding stops at the protocol's end marker, as in the agent.
   */
  CallFacts replay(DialectSession session, int requestSplit, int responseSplit) {
    DialectCall call = new DialectCall(session);
    for (byte[] piece : split(requestBody, requestSplit)) call.requestBody(0, piece, 0, piece.length);
    call.requestBodyEnd();
    call.response(status, lookup(responseHeaders));
    for (byte[] piece : split(responseBody, responseSplit)) {
      boolean over = call.responseBody(0, piece, 0, piece.length);
      Arrays.fill(piece, (byte) '#'); // a dialect must not keep the caller's array
      if (over) return call.facts();
    }
    call.responseEnd(complete);
    return call.facts();
  }

  private static List<byte[]> split(byte[] body, int at) {
    if (at <= 0 || at >= body.length) return List.of(body.clone());
    return List.of(Arrays.copyOfRange(body, 0, at), Arrays.copyOfRange(body, at, body.length));
  }

  /** The differences from {@code expected.json}, one line per key; empty when equal. */
  String diff(CallFacts facts) {
    Map<String, Object> actual = snapshot(facts);
    StringBuilder sb = new StringBuilder();
    TreeSet<String> keys = new TreeSet<>(expected.keySet());
    keys.addAll(actual.keySet());
    for (String key : keys) {
      String e = expected.containsKey(key) ? canonical(expected.get(key)) : "(absent)";
      String a = actual.containsKey(key) ? canonical(actual.get(key)) : "(absent)";
      if (!e.equals(a)) sb.append("  ").append(key).append(": expected ").append(e).append(" but was ").append(a).append('\n');
    }
    return sb.toString();
  }

  /** The facts that differ from their defaults, under the kit's keys. */
  static Map<String, Object> snapshot(CallFacts facts) {
    Map<String, Object> m = new TreeMap<>();
    RequestFacts q = facts.request;
    put(m, "request.operation_name", q.operationName);
    put(m, "request.provider_name", q.providerName);
    put(m, "request.model", q.model);
    put(m, "request.max_tokens", q.maxTokens);
    put(m, "request.temperature", q.temperature);
    put(m, "request.top_p", q.topP);
    put(m, "request.top_k", q.topK);
    put(m, "request.frequency_penalty", q.frequencyPenalty);
    put(m, "request.presence_penalty", q.presencePenalty);
    put(m, "request.seed", q.seed);
    put(m, "request.choice_count", q.choiceCount);
    if (q.stopSequences != null && !q.stopSequences.isEmpty()) m.put("request.stop_sequences", q.stopSequences);
    if (q.encodingFormats != null && !q.encodingFormats.isEmpty()) m.put("request.encoding_formats", q.encodingFormats);
    put(m, "request.output_type", q.outputType);
    putJson(m, "request.input_messages", q.inputMessagesJson);
    putJson(m, "request.system_instructions", q.systemInstructionsJson);
    putJson(m, "request.tool_definitions", q.toolDefinitionsJson);
    ResponseFacts r = facts.response;
    if (r.httpStatus != -1) m.put("response.http_status", (long) r.httpStatus);
    if (r.eventStream) m.put("response.event_stream", true);
    put(m, "response.id", r.id);
    put(m, "response.model", r.model);
    if (!r.finishReasons.isEmpty()) m.put("response.finish_reasons", r.finishReasons);
    if (r.embeddingDimensions != -1) m.put("response.embedding_dimensions", r.embeddingDimensions);
    put(m, "response.error_type", r.errorType);
    put(m, "response.error_message", r.errorMessage);
    put(m, "response.reported_cost_usd", r.reportedCostUsd);
    putJson(m, "response.output_messages", r.outputMessagesJson);
    r.extra().forEach((k, v) -> m.put("response.extra." + k, v));
    UsageFacts u = facts.usage;
    if (u.inputTokens != -1) m.put("usage.input_tokens", u.inputTokens);
    if (u.outputTokens != -1) m.put("usage.output_tokens", u.outputTokens);
    if (u.cacheReadTokens != -1) m.put("usage.cache_read_tokens", u.cacheReadTokens);
    if (u.cacheCreationTokens != -1) m.put("usage.cache_creation_tokens", u.cacheCreationTokens);
    if (u.reasoningTokens != -1) m.put("usage.reasoning_tokens", u.reasoningTokens);
    if (facts.stream.streamed) m.put("stream.streamed", true);
    if (facts.stream.outcome != null) m.put("stream.outcome", facts.stream.outcome.value());
    if (facts.stream.chunkCount != 0) m.put("stream.chunk_count", (long) facts.stream.chunkCount);
    return m;
  }

  private static void put(Map<String, Object> m, String key, Object value) {
    if (value != null) m.put(key, value);
  }

  /** A content fact as the JSON value it holds (a string that is not JSON stays a string). */
  private static void putJson(Map<String, Object> m, String key, String json) {
    if (json == null) return;
    Object value = parseJson(json.getBytes(StandardCharsets.UTF_8));
    m.put(key, value == null ? json : value);
  }

  static Object parseJson(byte[] bytes) {
    JsonLimits all = JsonLimits.defaults().withMaxStringChars(1 << 20).withMaxArrayElements(1 << 16)
        .withMaxObjectFields(1 << 16).withMaxNodes(1 << 20).withMaxRetainedChars(1 << 24);
    JsonValue v = JsonTreeReader.parse(bytes, 0, bytes.length, all);
    if (v == null || v.isTruncated()) return null;
    return toJava(v);
  }

  private static Object toJava(JsonValue v) {
    switch (v.kind()) {
      case OBJECT: {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < v.retainedSize(); i++) m.put(v.fieldName(i), toJava(v.get(i)));
        return m;
      }
      case ARRAY: {
        List<Object> l = new ArrayList<>();
        for (int i = 0; i < v.retainedSize(); i++) l.add(toJava(v.get(i)));
        return l;
      }
      case STRING:
        return v.asText("");
      case NUMBER:
        return v.asDouble(0);
      case BOOLEAN:
        return v.asBoolean(false);
      default:
        return null;
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object json) {
    if (!(json instanceof Map)) throw new IllegalArgumentException("expected.json is not one JSON object");
    return (Map<String, Object>) json;
  }

  /** Compact JSON with sorted keys and numbers in one form, so equal values compare equal. */
  static String canonical(Object v) {
    StringBuilder sb = new StringBuilder();
    write(sb, v);
    return sb.toString();
  }

  private static void write(StringBuilder sb, Object v) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof Map<?, ?> map) {
      sb.append('{');
      int i = 0;
      for (Map.Entry<?, ?> e : new TreeMap<>(map).entrySet()) {
        if (i++ > 0) sb.append(',');
        write(sb, String.valueOf(e.getKey()));
        sb.append(':');
        write(sb, e.getValue());
      }
      sb.append('}');
    } else if (v instanceof List<?> list) {
      sb.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) sb.append(',');
        write(sb, list.get(i));
      }
      sb.append(']');
    } else if (v instanceof Number n) {
      BigDecimal d = new BigDecimal(n.toString()).stripTrailingZeros();
      sb.append(d.signum() == 0 ? "0" : d.toPlainString());
    } else if (v instanceof String s) {
      sb.append('"');
      for (char c : s.toCharArray()) {
        if (c == '"' || c == '\\') sb.append('\\').append(c);
        else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
        else sb.append(c);
      }
      sb.append('"');
    } else {
      sb.append(v);
    }
  }

  private static HeaderLookup lookup(Map<String, String> headers) {
    return name -> headers.get(name.toLowerCase(Locale.ROOT));
  }

  /** First line, headers (names in lower case) and the raw body of an {@code .http} file. */
  private record Message(String firstLine, Map<String, String> headers, byte[] body) {
    static Message read(Path file) {
      try {
        byte[] all = Files.readAllBytes(file);
        int headEnd = -1;
        int bodyStart = all.length;
        for (int i = 0; i + 1 < all.length; i++) {
          if (all[i] == '\n' && all[i + 1] == '\n') {
            headEnd = i;
            bodyStart = i + 2;
            break;
          }
          if (i + 3 < all.length && all[i] == '\r' && all[i + 1] == '\n' && all[i + 2] == '\r' && all[i + 3] == '\n') {
            headEnd = i;
            bodyStart = i + 4;
            break;
          }
        }
        String head = new String(all, 0, headEnd < 0 ? all.length : headEnd, StandardCharsets.UTF_8);
        String[] lines = head.split("\r?\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
          int colon = lines[i].indexOf(':');
          if (colon > 0) {
            headers.putIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                lines[i].substring(colon + 1).trim());
          }
        }
        return new Message(lines[0], headers, Arrays.copyOfRange(all, bodyStart, all.length));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
