package dev.llmotel.dialect.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.DialectCall;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.HeaderLookup;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * One recorded exchange of {@code src/test/resources/recordings/<case>}: {@code request.http} (request line, headers,
 * body), {@code response.http} (status, headers, raw body), {@code expected.json} (the non-default facts) and an
 * optional {@code recording.properties} ({@code capture-content}, {@code complete}). A stand-in until the dialect kit
 * replays recordings for every dialect.
 */
record Recording(String name, String method, URI url, Map<String, String> requestHeaders, byte[] requestBody,
    int status, Map<String, String> responseHeaders, byte[] responseBody, boolean captureContent, boolean complete,
    JsonNode expected) {
  static final ObjectMapper JSON = new ObjectMapper();
  /** Characters kept per content part when a recording captures content. */
  static final int MAX_CONTENT_CHARS = 1000;

  static Recording read(Path dir) {
    try {
      Properties props = new Properties();
      Path p = dir.resolve("recording.properties");
      if (Files.exists(p)) props.load(new StringReader(Files.readString(p)));
      Message request = Message.parse(Files.readAllBytes(dir.resolve("request.http")));
      Message response = Message.parse(Files.readAllBytes(dir.resolve("response.http")));
      String[] requestLine = request.firstLine.split(" ", 2);
      return new Recording(dir.getFileName().toString(), requestLine[0], URI.create(requestLine[1].trim()),
          request.headers, request.body, Integer.parseInt(response.firstLine.trim()), response.headers, response.body,
          Boolean.parseBoolean(props.getProperty("capture-content", "false")),
          Boolean.parseBoolean(props.getProperty("complete", "true")),
          JSON.readTree(dir.resolve("expected.json").toFile()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  DialectContext context(boolean capture) {
    return new DialectContext(1 << 20, 64L << 20, 64 * 1024, capture, MAX_CONTENT_CHARS);
  }

  DialectSession open(DialectContext context) {
    HeaderLookup headers = lookup(requestHeaders);
    ExchangeRequest request = new ExchangeRequest(method, url.getScheme(), url.getHost(), url.getPort(),
        url.getRawPath(), url.getRawQuery(), headers);
    return new AnthropicDialect().open(request, context);
  }

  /** Replays the exchange with the bodies cut at the given positions (each list starts at 0, ends at the length). */
  CallFacts replay(DialectContext context, int[] requestCuts, int[] responseCuts) {
    DialectSession session = open(context);
    if (session == null) throw new AssertionError(name + ": the dialect did not recognise the request");
    DialectCall call = new DialectCall(session);
    for (int i = 1; i < requestCuts.length; i++) {
      byte[] piece = Arrays.copyOfRange(requestBody, requestCuts[i - 1], requestCuts[i]);
      call.requestBody(0, piece, 0, piece.length);
      Arrays.fill(piece, (byte) '#');
    }
    call.requestBodyEnd();
    call.response(status, lookup(responseHeaders));
    for (int i = 1; i < responseCuts.length; i++) {
      byte[] piece = Arrays.copyOfRange(responseBody, responseCuts[i - 1], responseCuts[i]);
      boolean over = call.responseBody(0, piece, 0, piece.length);
      Arrays.fill(piece, (byte) '#');
      if (over) return call.facts();
    }
    call.responseEnd(complete);
    return call.facts();
  }

  CallFacts replayWhole(DialectContext context) {
    return replay(context, new int[] {0, requestBody.length}, new int[] {0, responseBody.length});
  }

  /** The facts that differ from their defaults, under the recordings' key names. */
  static ObjectNode factsJson(CallFacts f) {
    ObjectNode o = JSON.createObjectNode();
    put(o, "request.operation_name", f.request.operationName);
    put(o, "request.provider_name", f.request.providerName);
    put(o, "request.model", f.request.model);
    put(o, "request.max_tokens", f.request.maxTokens);
    put(o, "request.temperature", f.request.temperature);
    put(o, "request.top_p", f.request.topP);
    put(o, "request.top_k", f.request.topK);
    put(o, "request.frequency_penalty", f.request.frequencyPenalty);
    put(o, "request.presence_penalty", f.request.presencePenalty);
    put(o, "request.seed", f.request.seed);
    put(o, "request.choice_count", f.request.choiceCount);
    put(o, "request.stop_sequences", f.request.stopSequences);
    put(o, "request.encoding_formats", f.request.encodingFormats);
    put(o, "request.output_type", f.request.outputType);
    putJson(o, "request.input_messages", f.request.inputMessagesJson);
    putJson(o, "request.system_instructions", f.request.systemInstructionsJson);
    putJson(o, "request.tool_definitions", f.request.toolDefinitionsJson);
    if (f.response.httpStatus != -1) o.put("response.http_status", f.response.httpStatus);
    if (f.response.eventStream) o.put("response.event_stream", true);
    put(o, "response.id", f.response.id);
    put(o, "response.model", f.response.model);
    put(o, "response.finish_reasons", f.response.finishReasons);
    if (f.response.embeddingDimensions != -1) o.put("response.embedding_dimensions", f.response.embeddingDimensions);
    put(o, "response.error_type", f.response.errorType);
    put(o, "response.error_message", f.response.errorMessage);
    put(o, "response.reported_cost_usd", f.response.reportedCostUsd);
    putJson(o, "response.output_messages", f.response.outputMessagesJson);
    if (!f.response.extra().isEmpty()) o.set("response.extra", JSON.valueToTree(f.response.extra()));
    count(o, "usage.input_tokens", f.usage.inputTokens);
    count(o, "usage.output_tokens", f.usage.outputTokens);
    count(o, "usage.cache_read_tokens", f.usage.cacheReadTokens);
    count(o, "usage.cache_creation_tokens", f.usage.cacheCreationTokens);
    count(o, "usage.reasoning_tokens", f.usage.reasoningTokens);
    if (f.stream.streamed) o.put("stream.streamed", true);
    if (f.stream.outcome != null) o.put("stream.outcome", f.stream.outcome.value());
    if (f.stream.chunkCount != 0) o.put("stream.chunk_count", f.stream.chunkCount);
    return o;
  }

  /** Equal JSON, numbers compared by value (40 and 40.0 are the same top_k). */
  static boolean sameJson(JsonNode a, JsonNode b) {
    return a.equals((x, y) -> x.isNumber() && y.isNumber()
        ? Double.compare(x.doubleValue(), y.doubleValue()) : x.equals(y) ? 0 : 1, b);
  }

  private static void put(ObjectNode o, String key, Object value) {
    if (value == null || (value instanceof List<?> l && l.isEmpty())) return;
    o.set(key, JSON.valueToTree(value));
  }

  private static void count(ObjectNode o, String key, long value) {
    if (value != -1) o.put(key, value);
  }

  private static void putJson(ObjectNode o, String key, String json) {
    if (json == null) return;
    try {
      o.set(key, JSON.readTree(json));
    } catch (IOException e) {
      o.put(key, "NOT JSON: " + json);
    }
  }

  private static HeaderLookup lookup(Map<String, String> headers) {
    return name -> headers.get(name.toLowerCase());
  }

  /** The head (first line, headers by lower-case name) and raw body of a recorded message. */
  private record Message(String firstLine, Map<String, String> headers, byte[] body) {
    static Message parse(byte[] bytes) {
      int end = -1;
      int bodyStart = -1;
      for (int i = 0; i + 1 < bytes.length && end < 0; i++) {
        if (bytes[i] == '\n' && bytes[i + 1] == '\n') {
          end = i;
          bodyStart = i + 2;
        } else if (bytes[i] == '\n' && bytes[i + 1] == '\r' && i + 2 < bytes.length && bytes[i + 2] == '\n') {
          end = i;
          bodyStart = i + 3;
        }
      }
      if (end < 0) {
        end = bytes.length;
        bodyStart = bytes.length;
      }
      String[] lines = new String(bytes, 0, end, StandardCharsets.UTF_8).split("\r?\n");
      Map<String, String> headers = new TreeMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) headers.put(lines[i].substring(0, colon).trim().toLowerCase(), lines[i].substring(colon + 1).trim());
      }
      return new Message(lines[0], headers, Arrays.copyOfRange(bytes, bodyStart, bytes.length));
    }
  }
}
