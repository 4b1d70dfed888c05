package dev.llmotel.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.llmotel.dialect.Dialect;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.HeaderLookup;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Jazzer fuzz targets, one per dialect: fuzzed request and response bodies (cut in fuzzed pieces, each in a buffer of
 * its own, overwritten once fed), a fuzzed status and response Content-Type, read to the end or abandoned, driven
 * through a session the dialect opens for one of its own routes, with content capture on and small limits (so the
 * limits are reached too). Nothing may be thrown, and facts must be readable at the end. In the normal build only
 * the seed corpus ({@code src/test/resources/dev/llmotel/reliability/DialectFuzzTestInputs/<target>/}) is replayed;
 * {@code JAZZER_FUZZ=1} fuzzes (see RELIABILITY.md).
 */
class DialectFuzzTest {
  /** Each dialect's routes, as method, host and path (every dialect the agent ships must be here). */
  static final Map<String, List<String[]>> ROUTES = new LinkedHashMap<>();

  static {
    ROUTES.put("openai", routes(req("POST", "api.openai.com", "/v1/chat/completions"),
        req("POST", "api.openai.com", "/v1/embeddings"), req("POST", "api.openai.com", "/v1/completions"),
        req("POST", "x.openai.azure.com", "/openai/deployments/d1/chat/completions")));
    ROUTES.put("anthropic", routes(req("POST", "api.anthropic.com", "/v1/messages")));
    ROUTES.put("openai-responses", routes(req("POST", "api.openai.com", "/v1/responses")));
    ROUTES.put("ollama", routes(req("POST", "localhost:11434", "/api/chat"),
        req("POST", "localhost:11434", "/api/generate"), req("POST", "localhost:11434", "/api/embed")));
    ROUTES.put("bedrock", List.of(
        req("POST", "bedrock-runtime.us-east-1.amazonaws.com", "/model/anthropic.claude-3-haiku/converse"),
        req("POST", "bedrock-runtime.us-east-1.amazonaws.com", "/model/anthropic.claude-3-haiku/converse-stream"),
        req("POST", "bedrock-runtime.us-east-1.amazonaws.com", "/model/anthropic.claude-3-haiku/invoke"),
        req("POST", "bedrock-runtime.us-east-1.amazonaws.com",
            "/model/anthropic.claude-3-haiku/invoke-with-response-stream")));
    ROUTES.put("gemini", List.of(
        req("POST", "generativelanguage.googleapis.com", "/v1beta/models/gemini-2.0-flash:generateContent"),
        req("POST", "generativelanguage.googleapis.com", "/v1beta/models/gemini-2.0-flash:streamGenerateContent"),
        req("POST", "generativelanguage.googleapis.com", "/v1beta/models/text-embedding-004:embedContent")));
    ROUTES.put("openai-audio", routes(req("POST", "api.openai.com", "/v1/audio/transcriptions"),
        req("POST", "api.openai.com", "/v1/audio/translations"), req("POST", "api.openai.com", "/v1/audio/speech")));
    ROUTES.put("livekit-twirp", routes(req("POST", "lk.example.com", "/twirp/livekit.AgentDispatchService/CreateDispatch"),
        req("POST", "lk.example.com", "/twirp/livekit.RoomService/CreateRoom")));
    ROUTES.put("librechat", routes(req("POST", "chat.example.com", "/api/agents/chat/openAI"),
        req("GET", "chat.example.com", "/api/agents/chat/stream/abc"),
        req("POST", "chat.example.com", "/api/agents/chat/abort")));
  }

  static final String[] CONTENT_TYPES = {"application/json", "text/event-stream", "application/x-ndjson",
      "application/vnd.amazon.eventstream", "multipart/form-data; boundary=XyZ", "application/protobuf",
      "text/plain", null};
  static final int[] STATUSES = {200, 200, 200, 400, 401, 429, 500, 529};
  static final DialectContext SMALL_LIMITS = DialectContext.builder().maxEventBytes(2048).maxParsedBytes(1 << 16)
      .maxRetainedChars(512).captureContent(256).build();

  static String[] req(String method, String host, String path) { return new String[] {method, host, path}; }

  static List<String[]> routes(String[]... routes) { return List.of(routes); }

  /**
   * The dialects, loaded once: a {@link ServiceLoader} per execution (it reads every jar's service file and builds
   * every dialect) used to cost more than the execution itself. A dialect is shared by all of the agent's exchanges,
   * so one instance for all executions is what the agent does too.
   */
  private static final Map<String, Dialect> DIALECTS = new LinkedHashMap<>();

  static {
    for (Dialect d : ServiceLoader.load(Dialect.class)) DIALECTS.put(d.name(), d);
  }

  static Dialect dialect(String name) {
    Dialect d = DIALECTS.get(name);
    if (d == null) throw new AssertionError("no dialect " + name);
    return d;
  }

  /** The fuzz targets are only worth something if each dialect opens a session for each route listed. */
  @Test
  void everyDialectIsFuzzedOnRoutesItOpens() {
    TreeSet<String> shipped = new TreeSet<>();
    for (Dialect d : ServiceLoader.load(Dialect.class)) shipped.add(d.name());
    assertEquals(shipped, new TreeSet<>(ROUTES.keySet()), "dialects without a fuzz target (or gone)");
    ROUTES.forEach((name, routes) -> {
      for (String[] r : routes) {
        assertNotNull(dialect(name).open(request(r, "application/json"), SMALL_LIMITS),
            name + " does not open " + String.join(" ", r));
      }
    });
  }

  static ExchangeRequest request(String[] route, String contentType) {
    HeaderLookup headers = name -> name.equalsIgnoreCase("content-type") ? contentType : null;
    return new ExchangeRequest(route[0], "https", route[1], -1, route[2], null, headers);
  }

  static int[] cuts(FuzzedDataProvider data, int length) {
    int[] cuts = new int[data.consumeInt(0, 8)];
    for (int i = 0; i < cuts.length; i++) cuts[i] = data.consumeInt(0, Math.max(0, length));
    Arrays.sort(cuts);
    return cuts;
  }

  /** Feeds {@code body} cut at {@code cuts}: each piece copied into its own buffer, fed, then overwritten. */
  static void feed(byte[] body, int[] cuts, boolean request, DialectSession session) {
    int from = 0;
    for (int i = 0; i <= cuts.length; i++) {
      int to = i < cuts.length ? Math.max(from, Math.min(body.length, cuts[i])) : body.length;
      if (to > from) {
        byte[] piece = new byte[to - from + 3];
        System.arraycopy(body, from, piece, 3, to - from);
        if (request) session.onRequestBody(piece, 3, to - from);
        else session.onResponseBody(piece, 3, to - from);
        Arrays.fill(piece, (byte) '}');
      }
      from = to;
    }
  }

  static void fuzz(String dialectName, FuzzedDataProvider data) {
    List<String[]> routes = ROUTES.get(dialectName);
    String[] route = routes.get(data.consumeInt(0, routes.size() - 1));
    String requestType = data.pickValue(CONTENT_TYPES);
    String responseType = data.pickValue(CONTENT_TYPES);
    int status = data.pickValue(STATUSES);
    boolean complete = data.consumeBoolean();
    byte[] requestBody = data.consumeBytes(data.consumeInt(0, 4096));
    int[] requestCuts = cuts(data, requestBody.length);
    int[] responseCuts = cuts(data, 8192);
    byte[] responseBody = data.consumeRemainingAsBytes();
    DialectSession session = dialect(dialectName).open(request(route, requestType), SMALL_LIMITS);
    if (session == null) return;
    feed(requestBody, requestCuts, true, session);
    session.onRequestBodyEnd();
    session.onResponse(status, name -> name.equalsIgnoreCase("content-type") ? responseType : null);
    feed(responseBody, responseCuts, false, session);
    session.onResponseEnd(complete);
    assertNotNull(session.facts(), "facts at the end");
    String.valueOf(session.facts());
  }

  @FuzzTest(maxDuration = "2h", maxExecutions = 10_000_000)
  void openai(FuzzedDataProvider data) { fuzz("openai", data); }

  @FuzzTest(maxDuration = "2h", maxExecutions = 10_000_000)
  void anthropic(FuzzedDataProvider data) { fuzz("anthropic", data); }

  @FuzzTest(maxDuration = "2h", maxExecutions = 10_000_000)
  void openaiResponses(FuzzedDataProvider data) { fuzz("openai-responses", data); }

  @FuzzTest(maxDuration = "2h", maxExecutions = 10_000_000)
  void ollama(FuzzedDataProvider data) { fuzz("ollama", data); }

  @FuzzTest(maxDuration = "2h", maxExecutions = 10_000_000)
  void bedrock(FuzzedDataProvider data) { fuzz("bedrock", data); }

  @FuzzTest(maxDuration = "2h", maxExecutions = 10_000_000)
  void gemini(FuzzedDataProvider data) { fuzz("gemini", data); }

  @FuzzTest(maxDuration = "2h", maxExecutions = 10_000_000)
  void openaiAudio(FuzzedDataProvider data) { fuzz("openai-audio", data); }

  @FuzzTest(maxDuration = "2h", maxExecutions = 10_000_000)
  void livekitTwirp(FuzzedDataProvider data) { fuzz("livekit-twirp", data); }

  @FuzzTest(maxDuration = "2h", maxExecutions = 10_000_000)
  void librechat(FuzzedDataProvider data) { fuzz("librechat", data); }
}
