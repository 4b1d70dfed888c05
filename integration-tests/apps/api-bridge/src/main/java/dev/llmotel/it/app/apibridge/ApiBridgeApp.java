package dev.llmotel.it.app.apibridge;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Sample app with only the OpenTelemetry API 1.32 (no SDK): one {@code app.request} span made current around one chat
 * call over OkHttp 4, with the conversation {@code conv-42}, the user {@code user-7} and tags in the baggage. Argument: the simulator's base URL. Whether its span context is valid (true only when the agent
 * bridges the API) goes to stderr, so stdout stays identical with and without the agent.
 */
public final class ApiBridgeApp {
  private ApiBridgeApp() {}

  public static void main(String[] args) throws Exception {
    Tracer tracer = GlobalOpenTelemetry.getTracer("demo-app");
    OkHttpClient client = new OkHttpClient();
    Span span = tracer.spanBuilder("app.request").startSpan();
    Baggage conversation = Baggage.builder().put("gen_ai.conversation.id", "conv-42")
        .put("user.id", "user-7").put("langfuse.trace.tags", "beta, checkout").build();
    try (Scope ignored = span.makeCurrent(); Scope inConversation = conversation.makeCurrent()) {
      System.err.println("app span context valid: " + span.getSpanContext().isValid());
      System.err.println("app span trace id: " + span.getSpanContext().getTraceId());
      Request request = new Request.Builder().url(args[0] + "/v1/chat/completions")
          .header("Authorization", "Bearer sk-test")
          .post(RequestBody.create("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}",
              MediaType.get("application/json")))
          .build();
      try (Response response = client.newCall(request).execute()) {
        System.out.println("status: " + response.code());
        System.out.println("body: " + response.body().string());
      }
    } finally {
      span.end();
    }
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
    System.out.println("done");
  }
}
