package dev.llmotel.it.app.reactornetty;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.netty.http.client.HttpClient;

/**
 * Sample app on Spring's WebClient over Reactor Netty (no Spring Boot). Argument: the simulator's base URL. Inside
 * its own {@code app.request} span (OpenTelemetry API; real only when the agent bridges it), made current on the main
 * thread: a chat completion ({@code bodyToMono}), an SSE stream with usage ({@code bodyToFlux} of server-sent events,
 * blocked on to its last event), a long stream cut short after two events ({@code take(2)}), and a 429. Then, on a
 * thread of its own inside an {@code app.worker} span, an embeddings call it only subscribes to, waiting for the
 * result elsewhere. Prints what it got verbatim; span details go to stderr, so stdout is the same with and without
 * the agent.
 */
public final class ReactorNettyApp {
  private static final String MESSAGES =
      "\"messages\":[{\"role\":\"system\",\"content\":\"You are a test.\"},{\"role\":\"user\",\"content\":\"Say hello.\"}]";
  private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE =
      new ParameterizedTypeReference<ServerSentEvent<String>>() {};

  private ReactorNettyApp() {}

  public static void main(String[] args) throws Exception {
    Tracer tracer = GlobalOpenTelemetry.getTracer("reactor-netty-app");
    WebClient web = WebClient.builder()
        .baseUrl(args[0] + "/v1")
        .defaultHeader("Authorization", "Bearer sk-test")
        .clientConnector(new ReactorClientHttpConnector(HttpClient.create().responseTimeout(Duration.ofSeconds(30))))
        .build();

    Span request = tracer.spanBuilder("app.request").startSpan();
    try (Scope ignored = request.makeCurrent()) {
      System.err.println("app.request span id: " + request.getSpanContext().getSpanId());
      run("chat", () -> System.out.println("body: " + post(web, "/chat/completions",
          "{\"model\":\"gpt-4o-mini\"," + MESSAGES + "}").bodyToMono(String.class).block()));
      run("stream", () -> printEvents(post(web, "/chat/completions", "{\"model\":\"gpt-4o-mini\"," + MESSAGES
          + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}").bodyToFlux(SSE).collectList().block()));
      run("abandoned", () -> printEvents(post(web, "/chat/completions",
          "{\"model\":\"sim-long\"," + MESSAGES + ",\"stream\":true}").bodyToFlux(SSE).take(2).collectList().block()));
      run("rate-limited", () -> {
        try {
          post(web, "/chat/completions", "{\"model\":\"sim-429\"," + MESSAGES + "}").bodyToMono(String.class).block();
        } catch (WebClientResponseException e) {
          System.out.println("status: " + e.getStatusCode().value());
          System.out.println("body: " + e.getResponseBodyAsString());
        }
      });
    } finally {
      request.end();
    }

    CompletableFuture<String> embedding = new CompletableFuture<>();
    Thread worker = new Thread(() -> {
      Span span = tracer.spanBuilder("app.worker").startSpan();
      try (Scope ignored = span.makeCurrent()) {
        System.err.println("app.worker span id: " + span.getSpanContext().getSpanId());
        post(web, "/embeddings", "{\"model\":\"text-embedding-3-small\",\"input\":\"The food was delicious\","
            + "\"encoding_format\":\"float\"}").bodyToMono(String.class)
            .subscribe(embedding::complete, embedding::completeExceptionally);
      } finally {
        span.end();
      }
    }, "app-worker");
    run("embeddings-subscribed", () -> {
      worker.start();
      String body = embedding.get(30, TimeUnit.SECONDS);
      System.out.println("embedding bytes: " + body.length());
    });
    System.out.println("done");
  }

  private static WebClient.ResponseSpec post(WebClient web, String path, String json) {
    return web.post().uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue(json).retrieve();
  }

  private static void printEvents(List<ServerSentEvent<String>> events) {
    for (ServerSentEvent<String> event : events) System.out.println("data: " + event.data());
  }

  interface Scenario {
    void run() throws Exception;
  }

  private static void run(String name, Scenario scenario) {
    System.out.println("== " + name);
    try {
      scenario.run();
    } catch (Exception e) {
      System.out.println("exception: " + e.getClass().getName());
    }
  }
}
