package dev.llmotel.it.app.openairesponses;

import static java.util.Collections.singletonList;
import static java.util.Collections.singletonMap;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.ResponseUsage;
import java.util.Iterator;

/**
 * Sample app on the official OpenAI Java SDK's Responses API ({@code client.responses().create} and
 * {@code createStreaming}). Argument: the simulator's base URL. Runs its scenarios in a fixed order and prints only
 * deterministic lines (output, status, token counts as the SDK reports them, exception class and status), so its
 * stdout must be identical with and without the agent.
 */
public final class OpenAiJavaResponsesApp {
  private OpenAiJavaResponsesApp() {}

  public static void main(String[] args) {
    OpenAIClient client = OpenAIOkHttpClient.builder()
        .baseUrl(args[0] + "/v1")
        .apiKey("sk-test")
        .maxRetries(0)
        .build();
    try {
      run("response", () -> create(client, params("gpt-4o-mini").build()));
      run("stream", () -> stream(client, params("gpt-4o-mini").build()));
      run("function-call", () -> create(client, params("gpt-4o-mini").addTool(weatherTool()).build()));
      run("stream-function-call", () -> stream(client, params("gpt-4o-mini").addTool(weatherTool()).build()));
      run("incomplete", () -> create(client, params("gpt-4o-mini").maxOutputTokens(4L).build()));
      run("stream-failed", () -> stream(client, params("sim-failed").build()));
      run("stream-error-event", () -> stream(client, params("sim-stream-error").build()));
      run("rate-limited", () -> createExpectingError(client, params("sim-429").build()));
      run("truncated-stream", () -> stream(client, params("sim-truncated").build()));
      run("abandoned-stream", () -> abandonedStream(client, params("sim-long").build(), 6));
    } finally {
      client.close();
    }
    System.out.println("done");
  }

  private static ResponseCreateParams.Builder params(String model) {
    return ResponseCreateParams.builder()
        .model(model)
        .instructions("You are a test.")
        .input("Say hello.");
  }

  private static FunctionTool weatherTool() {
    return FunctionTool.builder()
        .name("get_weather")
        .description("Current weather for a city.")
        .parameters(FunctionTool.Parameters.builder()
            .putAdditionalProperty("type", JsonValue.from("object"))
            .putAdditionalProperty("properties", JsonValue.from(singletonMap("location", singletonMap("type", "string"))))
            .putAdditionalProperty("required", JsonValue.from(singletonList("location")))
            .putAdditionalProperty("additionalProperties", JsonValue.from(false))
            .build())
        .strict(true)
        .build();
  }

  private static void create(OpenAIClient client, ResponseCreateParams params) {
    Response response = client.responses().create(params);
    printResponse(response);
  }

  private static void printResponse(Response response) {
    System.out.println("id: " + response.id());
    System.out.println("status: " + response.status().map(s -> s.asString()).orElse("-"));
    response.incompleteDetails().flatMap(d -> d.reason())
        .ifPresent(r -> System.out.println("incomplete: " + r.asString()));
    response.error().ifPresent(e -> System.out.println("error: " + e.code().asString() + " " + e.message()));
    for (ResponseOutputItem item : response.output()) {
      item.message().ifPresent(m -> m.content().forEach(c -> c.outputText()
          .ifPresent(t -> System.out.println("text: " + t.text()))));
      item.functionCall().ifPresent(f -> System.out.println("function call: " + f.name() + " " + f.callId() + " "
          + f.arguments()));
    }
    response.usage().ifPresent(OpenAiJavaResponsesApp::printUsage);
  }

  private static void stream(OpenAIClient client, ResponseCreateParams params) {
    StringBuilder text = new StringBuilder();
    StringBuilder arguments = new StringBuilder();
    int events = 0;
    try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(params)) {
      Iterator<ResponseStreamEvent> it = stream.stream().iterator();
      while (it.hasNext()) {
        ResponseStreamEvent event = it.next();
        events++;
        event.outputTextDelta().ifPresent(d -> text.append(d.delta()));
        event.functionCallArgumentsDelta().ifPresent(d -> arguments.append(d.delta()));
        event.completed().ifPresent(c -> {
          System.out.println("completed:");
          printResponse(c.response());
        });
        event.failed().ifPresent(f -> {
          System.out.println("failed:");
          printResponse(f.response());
        });
        event.error().ifPresent(e -> System.out.println("error event: " + e.code().orElse("-") + " " + e.message()));
      }
    }
    System.out.println("streamed text: " + text);
    if (arguments.length() > 0) System.out.println("streamed arguments: " + arguments);
    System.out.println("events: " + events);
  }

  private static void abandonedStream(OpenAIClient client, ResponseCreateParams params, int keep) {
    StringBuilder text = new StringBuilder();
    try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(params)) {
      Iterator<ResponseStreamEvent> it = stream.stream().iterator();
      for (int i = 0; i < keep && it.hasNext(); i++) it.next().outputTextDelta().ifPresent(d -> text.append(d.delta()));
    }
    System.out.println("text before closing: " + text);
  }

  private static void createExpectingError(OpenAIClient client, ResponseCreateParams params) {
    try {
      client.responses().create(params);
      System.out.println("no error");
    } catch (OpenAIServiceException e) {
      System.out.println("error: " + e.getClass().getSimpleName() + " status=" + e.statusCode());
    }
  }

  private static void printUsage(ResponseUsage usage) {
    System.out.println("usage: input=" + usage.inputTokens() + " output=" + usage.outputTokens()
        + " total=" + usage.totalTokens() + " cached=" + usage.inputTokensDetails().cachedTokens()
        + " reasoning=" + usage.outputTokensDetails().reasoningTokens());
  }

  /** Runs one scenario; an unexpected exception is printed as a deterministic line and the next scenario runs. */
  private static void run(String name, Runnable scenario) {
    System.out.println("== " + name);
    try {
      scenario.run();
    } catch (RuntimeException e) {
      System.out.println("exception: " + e.getClass().getName() + describeCause(e));
    }
  }

  private static String describeCause(Throwable e) {
    Throwable cause = e.getCause();
    return cause == null ? "" : " caused by " + cause.getClass().getName();
  }
}
