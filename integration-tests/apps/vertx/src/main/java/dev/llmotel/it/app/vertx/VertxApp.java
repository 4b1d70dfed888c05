package dev.llmotel.it.app.vertx;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.codec.BodyCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Sample app on Vert.x 5, used as a verticle would: every call starts on one Vert.x context and is driven by its
 * callbacks on the event loop; only {@code main} waits for each scenario's future. Argument: the simulator's base URL.
 * Prints response bodies and stream lines verbatim, so a changed byte shows up as changed output.
 */
public final class VertxApp {
  private static final JsonArray MESSAGES = new JsonArray()
      .add(new JsonObject().put("role", "system").put("content", "You are a test."))
      .add(new JsonObject().put("role", "user").put("content", "Say hello."));

  private VertxApp() {}

  public static void main(String[] args) throws Exception {
    String url = args[0] + "/v1/chat/completions";
    Vertx vertx = Vertx.vertx();
    Context context = vertx.getOrCreateContext();
    WebClient web = WebClient.create(vertx);
    HttpClient http = vertx.createHttpClient();
    try {
      run("chat", context, () -> webClientChat(web, url, "gpt-4o-mini"));
      run("stream", context, () -> stream(http, url, "gpt-4o-mini", -1));
      run("abandoned-stream", context, () -> stream(http, url, "sim-long", 2));
      run("rate-limited", context, () -> webClientChat(web, url, "sim-429"));
    } finally {
      web.close();
      http.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    System.out.println("done");
  }

  /** WebClient: a JSON body sent with {@code sendJson}, the answer read whole as a string. */
  private static Future<List<String>> webClientChat(WebClient web, String url, String model) {
    JsonObject request = new JsonObject().put("model", model).put("messages", MESSAGES);
    return web.postAbs(url)
        .putHeader("Authorization", "Bearer sk-test")
        .as(BodyCodec.string())
        .sendJson(request)
        .map((HttpResponse<String> response) -> List.of("status: " + response.statusCode(),
            "body: " + response.body()));
  }

  /**
   * HttpClient: an SSE stream read chunk by chunk through the response's handler, printed line by line; with
   * {@code keep >= 0} the request is reset once that many events have arrived (the rest of the stream abandoned).
   */
  private static Future<List<String>> stream(HttpClient http, String url, String model, int keep) {
    JsonObject body = new JsonObject().put("model", model).put("messages", MESSAGES).put("stream", true);
    if (keep < 0) body.put("stream_options", new JsonObject().put("include_usage", true));
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
        .putHeader("Authorization", "Bearer sk-test").putHeader("Content-Type", "application/json");
    Promise<List<String>> done = Promise.promise();
    List<String> out = new ArrayList<>();
    http.request(options).compose(request -> request.send(Buffer.buffer(body.encode()))).onComplete(ar -> {
      if (ar.failed()) {
        done.fail(ar.cause());
        return;
      }
      HttpClientResponse response = ar.result();
      out.add("status: " + response.statusCode());
      StringBuilder pending = new StringBuilder();
      int[] events = {0};
      response.handler(chunk -> {
        if (done.future().isComplete()) return;
        pending.append(chunk.toString(StandardCharsets.UTF_8));
        for (int nl; (nl = pending.indexOf("\n")) >= 0; ) {
          String line = pending.substring(0, nl);
          pending.delete(0, nl + 1);
          if (line.isEmpty()) continue;
          out.add("line: " + line);
          if (keep >= 0 && ++events[0] == keep) {
            out.add("reset after " + keep + " events");
            done.tryComplete(out); // first: the reset fails the response at once, the app expects that
            response.request().reset();
            return;
          }
        }
      });
      response.endHandler(v -> done.tryComplete(out));
      response.exceptionHandler(t -> {
        if (!done.future().isComplete()) done.tryFail(t);
      });
    });
    return done.future();
  }

  private static void run(String name, Context context, Supplier<Future<List<String>>> scenario) {
    System.out.println("== " + name);
    CompletableFuture<List<String>> result = new CompletableFuture<>();
    context.runOnContext(v -> scenario.get().onComplete(ar -> {
      if (ar.succeeded()) result.complete(ar.result());
      else result.completeExceptionally(ar.cause());
    }));
    try {
      for (String line : result.get(30, TimeUnit.SECONDS)) System.out.println(line);
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      System.out.println("exception: " + cause.getClass().getName());
    }
  }
}
