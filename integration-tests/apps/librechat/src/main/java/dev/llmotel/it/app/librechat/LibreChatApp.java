package dev.llmotel.it.app.librechat;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Sample app driving LibreChat's v0.8 API over {@code java.net.http} (the JDK's client), each turn inside an app span
 * of its own ({@code turn <scenario>}, OpenTelemetry API only). Argument: the server's base URL. Logs in (JWT and
 * refresh cookie), refreshes, then: a turn read from its SSE stream to the {@code final} frame; a turn whose stream
 * ends without a {@code final} frame; a turn whose status
 * is polled until it is no longer active; a turn aborted while active; a turn refused because the client's
 * User-Agent is no browser's; a turn whose status stays active, given up after a few polls (then the app waits
 * {@value #WAIT_AFTER_GIVING_UP_MILLIS} ms); a call of the OpenAI-compatible API-key route. Prints what it learns,
 * never a time.
 */
public final class LibreChatApp {
  static final String BROWSER = "Mozilla/5.0 (X11; Linux x86_64) librechat-it";
  static final String EMAIL = "it@example.com";
  static final String PASSWORD = "sim-password-Tr0ub4dor";
  static final String API_KEY = "sk-test";
  static final long WAIT_AFTER_GIVING_UP_MILLIS = 2500;
  private static final Pattern FIELD = Pattern.compile("\"(token|streamId|conversationId|status|event|message|text)\""
      + "\\s*:\\s*\"([^\"]*)\"");

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final Tracer tracer = GlobalOpenTelemetry.getTracer("librechat-it-app");
  private final String base;
  private String token;
  private String refreshCookie;

  private LibreChatApp(String base) {
    this.base = base;
  }

  public static void main(String[] args) throws Exception {
    LibreChatApp app = new LibreChatApp(args[0]);
    app.login();
    app.refresh();
    app.turn("stream", app::streamed);
    app.turn("no-final", app::withoutFinal);
    app.turn("poll", app::polled);
    app.turn("abort", app::aborted);
    app.turn("refused", app::refused);
    app.turn("api-key", app::apiKeyRoute);
    app.turn("forever", app::givenUp);
    Thread.sleep(WAIT_AFTER_GIVING_UP_MILLIS);
    System.out.println("done");
  }

  interface Scenario {
    void run() throws Exception;
  }

  private void turn(String name, Scenario scenario) {
    Span span = tracer.spanBuilder("turn " + name).startSpan();
    try (Scope ignored = span.makeCurrent()) {
      System.out.println("== " + name);
      scenario.run();
    } catch (Exception e) {
      System.out.println("exception: " + e);
    } finally {
      span.end();
    }
  }

  private void login() throws Exception {
    HttpResponse<String> r = client.send(json("/api/auth/login", "{\"email\":\"" + EMAIL + "\",\"password\":\""
        + PASSWORD + "\"}", false).build(), HttpResponse.BodyHandlers.ofString());
    token = field(r.body(), "token");
    refreshCookie = r.headers().firstValue("set-cookie").map(c -> c.split(";", 2)[0]).orElse("");
    System.out.println("login: " + r.statusCode() + " token " + (token != null) + " cookie "
        + refreshCookie.startsWith("refreshToken="));
  }

  private void refresh() throws Exception {
    HttpResponse<String> r = client.send(json("/api/auth/refresh", "{}", false).header("Cookie", refreshCookie)
        .build(), HttpResponse.BodyHandlers.ofString());
    token = field(r.body(), "token");
    System.out.println("refresh: " + r.statusCode() + " token " + (token != null));
  }

  /** POST /api/agents/chat[/{endpoint}]: the stream id, or null (printed). */
  private String chat(String endpoint, String model, String text, boolean browser) throws Exception {
    String body = "{\"text\":\"" + text + "\",\"endpoint\":\"" + endpoint + "\",\"model\":\"" + model + "\","
        + "\"conversationId\":\"new\",\"parentMessageId\":\"00000000-0000-0000-0000-000000000000\","
        + "\"messageId\":\"msg-user-" + model + "\"}";
    // the endpoint in the path, or (for anthropic here) only in the body
    String path = endpoint.equals("anthropic") ? "/api/agents/chat" : "/api/agents/chat/" + endpoint;
    HttpRequest.Builder request = json(path, body, true);
    if (browser) request.header("User-Agent", BROWSER);
    HttpResponse<String> r = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    String type = r.headers().firstValue("content-type").orElse("");
    if (type.startsWith("text/event-stream")) {
      System.out.println("chat: " + r.statusCode() + " " + r.body().trim().replace('\n', ' '));
      return null;
    }
    String stream = field(r.body(), "streamId");
    System.out.println("chat: " + r.statusCode() + " stream " + stream + " status " + field(r.body(), "status"));
    return stream;
  }

  private void streamed() throws Exception {
    readStream(chat("openAI", "gpt-4o-mini", "What is the capital of France?", true));
  }

  private void withoutFinal() throws Exception {
    readStream(chat("openAI", "sim-lc-nofinal", "Tell me more.", true));
  }

  private void readStream(String id) throws Exception {
    HttpResponse<Stream<String>> r = client.send(get("/api/agents/chat/stream/" + id).build(),
        HttpResponse.BodyHandlers.ofLines());
    System.out.println("stream: " + r.statusCode());
    try (Stream<String> lines = r.body()) {
      StringBuilder answer = new StringBuilder();
      lines.filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).forEach(data -> {
        if (data.contains("\"final\":true")) {
          System.out.println("  final: " + field(data.substring(data.indexOf("responseMessage")), "text"));
        } else if (data.contains("\"created\":true")) {
          System.out.println("  created");
        } else {
          String event = field(data, "event");
          if ("on_message_delta".equals(event)) answer.append(field(data, "text"));
          System.out.println("  " + event);
        }
      });
      System.out.println("  answer: " + answer);
    }
  }

  private void polled() throws Exception {
    String id = chat("anthropic", "claude-sonnet-4-5", "Name a prime number.", true);
    int polls = 0;
    String last;
    do {
      Thread.sleep(50);
      polls++;
      last = client.send(get("/api/agents/chat/status/" + id).build(), HttpResponse.BodyHandlers.ofString()).body();
    } while (last.contains("\"active\":true") && polls < 50);
    System.out.println("status after " + polls + " polls: " + field(last, "status"));
  }

  private void aborted() throws Exception {
    String id = chat("openAI", "gpt-4o-mini", "Write a long story.", true);
    String status = client.send(get("/api/agents/chat/status/" + id).build(), HttpResponse.BodyHandlers.ofString())
        .body();
    System.out.println("status: " + field(status, "status"));
    HttpResponse<String> abort = client.send(json("/api/agents/chat/abort", "{\"conversationId\":\"" + id + "\"}",
        true).header("User-Agent", BROWSER).build(), HttpResponse.BodyHandlers.ofString());
    System.out.println("abort: " + abort.statusCode() + " " + abort.body());
    status = client.send(get("/api/agents/chat/status/" + id).build(), HttpResponse.BodyHandlers.ofString()).body();
    System.out.println("status: " + field(status, "status"));
  }

  private void refused() throws Exception {
    // the JDK's own User-Agent: LibreChat takes it for no browser
    chat("openAI", "gpt-4o-mini", "Hello?", false);
  }

  private void apiKeyRoute() throws Exception {
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/api/agents/v1/chat/completions"))
        .header("Authorization", "Bearer " + API_KEY).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\","
            + "\"content\":\"Say hello.\"}]}")).build(), HttpResponse.BodyHandlers.ofString());
    System.out.println("v1: " + r.statusCode() + " " + r.body());
  }

  private void givenUp() throws Exception {
    String id = chat("openAI", "sim-lc-forever", "Are you there?", true);
    int polls = 0;
    String last;
    do {
      Thread.sleep(50);
      polls++;
      last = client.send(get("/api/agents/chat/status/" + id).build(), HttpResponse.BodyHandlers.ofString()).body();
    } while (last.contains("\"active\":true") && polls < 5);
    System.out.println("gave up after " + polls + " polls: " + field(last, "status"));
  }

  private HttpRequest.Builder json(String path, String body, boolean withToken) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (withToken) b.header("Authorization", "Bearer " + token);
    return b;
  }

  private HttpRequest.Builder get(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
        .header("User-Agent", BROWSER).GET();
  }

  /** The first string value of {@code name} in a JSON text, or null. */
  static String field(String json, String name) {
    Matcher m = FIELD.matcher(json);
    while (m.find()) {
      if (m.group(1).equals(name)) return m.group(2);
    }
    return null;
  }
}
