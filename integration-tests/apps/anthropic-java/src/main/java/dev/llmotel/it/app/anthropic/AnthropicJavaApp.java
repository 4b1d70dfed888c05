package dev.llmotel.it.app.anthropic;

import static java.util.Collections.singletonList;
import static java.util.Collections.singletonMap;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.AsyncStreamResponse;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.core.opentelemetry.OpenTelemetryOptions;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.Usage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Sample app on the official Anthropic Java SDK. Argument: the simulator's base URL. Runs its scenarios in a fixed
 * order and prints only deterministic lines (content, stop reasons, token counts as the SDK reports them, exception
 * class and status), so its stdout must be identical with and without the agent.
 *
 * <p>anthropic-java 2.75 traces its own calls by default through {@code GlobalOpenTelemetry} (spans
 * {@code anthropic.messages.create}, tracer {@code com.anthropic.sdk.java}) and injects their {@code traceparent}.
 * Without the agent that API is a no-op; with the agent, which makes the application's OpenTelemetry API real, every
 * call would get the SDK's span as well, parent of the agent's, and the request would carry the SDK span's id. This
 * app switches both off so the agent's own contract is what the tests see; with a second argument {@code sdk-tracing}
 * it leaves them on (the SDK's defaults) and makes one message and one streamed message, to check the agent's rule
 * for an SDK that traces itself.
 *
 * <p>With a second argument {@code retries} it runs only two calls to {@code sim-flaky-mixed} (answered 429, then
 * 500, then the message) on a client with {@code maxRetries(2)} and the SDK's own tracing off: a message and a
 * streamed message, each retried twice by the SDK. With {@code retries-async} the same two calls go through {@code
 * client.async()} ({@code executeAsync}: its retries run on the SDK's sleeper thread, each attempt on OkHttp's
 * dispatcher thread).
 *
 * <p>The last two scenarios go through {@code client.async()} (OkHttp's {@code enqueue} underneath): a message whose
 * future is joined and a streamed message read by a subscribed handler. They ask for 128 max tokens instead of 256.
 */
public final class AnthropicJavaApp {
  private static final String MODEL = "claude-sonnet-4-5";
  /** The sync calls' max_tokens; the async calls ask for {@link #ASYNC_MAX_TOKENS}, which tells their spans apart. */
  private static final long MAX_TOKENS = 256;
  private static final long ASYNC_MAX_TOKENS = 128;
  /** The simulator answers it with a 429, then a 500, then the message. */
  private static final String FLAKY_MIXED = "sim-flaky-mixed";

  private AnthropicJavaApp() {}

  public static void main(String[] args) {
    if (args.length > 1 && args[1].equals("sdk-tracing")) {
      AnthropicClient traced = AnthropicOkHttpClient.builder().baseUrl(args[0]).apiKey("sk-test").maxRetries(0).build();
      try {
        run("message", () -> message(traced));
        run("stream", () -> stream(traced, MODEL));
      } finally {
        traced.close();
      }
      System.out.println("done");
      return;
    }
    if (args.length > 1 && args[1].equals("retries-async")) {
      AnthropicClient retrying = AnthropicOkHttpClient.builder()
          .baseUrl(args[0])
          .apiKey("sk-test")
          .maxRetries(2)
          .openTelemetry(OpenTelemetryOptions.builder().traces(false).propagation(false).build())
          .build();
      try {
        run("retried async message", () -> asyncMessage(retrying, FLAKY_MIXED));
        run("retried async stream", () -> asyncStream(retrying, FLAKY_MIXED));
      } finally {
        retrying.close();
      }
      System.out.println("done");
      return;
    }
    if (args.length > 1 && args[1].equals("retries")) {
      AnthropicClient retrying = AnthropicOkHttpClient.builder()
          .baseUrl(args[0])
          .apiKey("sk-test")
          .maxRetries(2)
          .openTelemetry(OpenTelemetryOptions.builder().traces(false).propagation(false).build())
          .build();
      try {
        run("retried message", () -> printMessage(retrying.messages().create(params(FLAKY_MIXED).build())));
        run("retried stream", () -> stream(retrying, FLAKY_MIXED));
      } finally {
        retrying.close();
      }
      System.out.println("done");
      return;
    }
    AnthropicClient client = AnthropicOkHttpClient.builder()
        .baseUrl(args[0])
        .apiKey("sk-test")
        .maxRetries(0)
        .openTelemetry(OpenTelemetryOptions.builder().traces(false).propagation(false).build())
        .build();
    try {
      run("message", () -> message(client));
      run("stream", () -> stream(client, MODEL));
      run("tool-use", () -> toolUse(client));
      run("rate-limited", () -> messageExpectingError(client, "sim-429"));
      run("overloaded-stream", () -> stream(client, "sim-overloaded"));
      run("truncated-stream", () -> stream(client, "sim-truncated"));
      run("async-message", () -> asyncMessage(client));
      run("async-stream", () -> asyncStream(client));
    } finally {
      client.close();
    }
    System.out.println("done");
  }

  private static void message(AnthropicClient client) {
    Message message = client.messages().create(params(MODEL).build());
    printMessage(message);
  }

  /** {@code client.async()}: the message future, joined. */
  private static void asyncMessage(AnthropicClient client) {
    asyncMessage(client, MODEL);
  }

  private static void asyncMessage(AnthropicClient client, String model) {
    printMessage(client.async().messages().create(params(model, ASYNC_MAX_TOKENS).build()).join());
  }

  /**
   * {@code client.async()}: a streamed message through a subscribed handler; the lines are collected and printed once
   * the stream completed, so the output does not depend on threads.
   */
  private static void asyncStream(AnthropicClient client) {
    asyncStream(client, MODEL);
  }

  private static void asyncStream(AnthropicClient client, String model) {
    List<String> lines = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    int[] events = {0};
    AsyncStreamResponse<RawMessageStreamEvent> stream =
        client.async().messages().createStreaming(params(model, ASYNC_MAX_TOKENS).build());
    stream.subscribe(new AsyncStreamResponse.Handler<RawMessageStreamEvent>() {
      @Override
      public void onNext(RawMessageStreamEvent event) {
        synchronized (lines) {
          events[0]++;
          event.messageStart().ifPresent(s -> {
            lines.add("start: " + s.message().id() + " " + s.message().model().asString());
            lines.add(usage(s.message().usage()));
          });
          event.contentBlockDelta().flatMap(d -> d.delta().text()).ifPresent(d -> text.append(d.text()));
          event.messageDelta().ifPresent(d -> lines.add("stop: "
              + d.delta().stopReason().map(r -> r.asString()).orElse("-") + " output=" + d.usage().outputTokens()));
        }
      }

      @Override
      public void onComplete(Optional<Throwable> error) {
        synchronized (lines) {
          error.ifPresent(e -> lines.add("error: " + e.getClass().getSimpleName()));
        }
      }
    });
    try {
      stream.onCompleteFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      synchronized (lines) {
        lines.add("failed: " + e.getClass().getName());
      }
    }
    synchronized (lines) {
      lines.forEach(System.out::println);
      System.out.println("text: " + text);
      System.out.println("events: " + events[0]);
    }
  }

  private static void toolUse(AnthropicClient client) {
    Tool weather = Tool.builder()
        .name("get_weather")
        .description("Get the current weather in a given location")
        .inputSchema(Tool.InputSchema.builder()
            .properties(JsonValue.from(singletonMap("location", singletonMap("type", "string"))))
            .required(singletonList("location"))
            .build())
        .build();
    printMessage(client.messages().create(params(MODEL).addTool(weather).build()));
  }

  private static void printMessage(Message message) {
    System.out.println("id: " + message.id() + " model: " + message.model().asString());
    for (ContentBlock block : message.content()) {
      block.text().ifPresent(t -> System.out.println("text: " + t.text()));
      block.toolUse().ifPresent(t -> System.out.println("tool_use: " + t.id() + " " + t.name() + " " + t._input()));
    }
    System.out.println("stop: " + message.stopReason().map(r -> r.asString()).orElse("-"));
    printUsage(message.usage());
  }

  /** Streams a message, printing its text, stop reason and output tokens as the events bring them. */
  private static void stream(AnthropicClient client, String model) {
    StringBuilder text = new StringBuilder();
    int events = 0;
    try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(params(model).build())) {
      Iterator<RawMessageStreamEvent> it = stream.stream().iterator();
      while (it.hasNext()) {
        RawMessageStreamEvent event = it.next();
        events++;
        event.messageStart().ifPresent(s -> {
          System.out.println("start: " + s.message().id() + " " + s.message().model().asString());
          printUsage(s.message().usage());
        });
        event.contentBlockDelta().flatMap(d -> d.delta().text()).ifPresent(d -> text.append(d.text()));
        event.messageDelta().ifPresent(d -> System.out.println("stop: "
            + d.delta().stopReason().map(r -> r.asString()).orElse("-") + " output=" + d.usage().outputTokens()));
      }
    } catch (AnthropicServiceException e) {
      System.out.println("error: " + e.getClass().getSimpleName() + " status=" + e.statusCode());
    }
    System.out.println("text: " + text);
    System.out.println("events: " + events);
  }

  private static void messageExpectingError(AnthropicClient client, String model) {
    try {
      client.messages().create(params(model).build());
      System.out.println("no error");
    } catch (AnthropicServiceException e) {
      System.out.println("error: " + e.getClass().getSimpleName() + " status=" + e.statusCode());
    }
  }

  private static MessageCreateParams.Builder params(String model) {
    return params(model, MAX_TOKENS);
  }

  private static MessageCreateParams.Builder params(String model, long maxTokens) {
    return MessageCreateParams.builder()
        .model(model)
        .maxTokens(maxTokens)
        .system("You are a test.")
        .addUserMessage("Say hello.");
  }

  private static void printUsage(Usage usage) {
    System.out.println(usage(usage));
  }

  private static String usage(Usage usage) {
    return "usage: input=" + usage.inputTokens() + " output=" + usage.outputTokens()
        + " cache_read=" + usage.cacheReadInputTokens().orElse(-1L)
        + " cache_creation=" + usage.cacheCreationInputTokens().orElse(-1L);
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
