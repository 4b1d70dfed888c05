package dev.llmotel.it.simulator;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One request the {@link LlmSimulator} received, and what it sent back: headers (names in lower case), body, the
 * fields that chose the behaviour, and how many stream chunk objects went out before the response ended.
 */
public final class RecordedRequest {
  private final String method;
  private final String path;
  private final Map<String, List<String>> headers;
  private final String body;
  private final String model;
  private final boolean stream;
  private final boolean includeUsage;
  private final AtomicInteger chunksSent = new AtomicInteger();
  private final AtomicBoolean responseCompleted = new AtomicBoolean();
  private volatile int status;

  RecordedRequest(String method, String path, Map<String, List<String>> headers, String body, String model,
      boolean stream, boolean includeUsage) {
    this.method = method;
    this.path = path;
    this.headers = headers;
    this.body = body;
    this.model = model;
    this.stream = stream;
    this.includeUsage = includeUsage;
  }

  public String method() { return method; }

  public String path() { return path; }

  /** Header values by lower-case name. */
  public Map<String, List<String>> headers() { return headers; }

  public List<String> header(String name) { return headers.getOrDefault(name.toLowerCase(), List.of()); }

  public String body() { return body; }

  /** The request's {@code model}, or null when the body had none. */
  public String model() { return model; }

  public boolean stream() { return stream; }

  /** {@code stream_options.include_usage} was true. */
  public boolean includeUsage() { return includeUsage; }

  /** The single {@code traceparent} header, parsed; empty when absent, repeated or malformed. */
  public Optional<TraceParent> traceParent() {
    List<String> values = header("traceparent");
    return values.size() == 1 ? TraceParent.parse(values.get(0)) : Optional.empty();
  }

  /** Stream chunk objects ({@code chat.completion.chunk} events, not {@code [DONE]}) written so far. */
  public int chunksSent() { return chunksSent.get(); }

  /** The whole scripted response was written (false when the client went away first). */
  public boolean responseCompleted() { return responseCompleted.get(); }

  public int status() { return status; }

  void chunkSent() { chunksSent.incrementAndGet(); }

  void completed() { responseCompleted.set(true); }

  void status(int status) { this.status = status; }

  @Override
  public String toString() {
    return method + " " + path + " model=" + model + (stream ? " stream" : "") + (includeUsage ? " include_usage" : "")
        + " status=" + status + " chunks=" + chunksSent + " traceparent=" + header("traceparent");
  }
}
