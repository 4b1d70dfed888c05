package dev.llmotel.testkit.hook;

import dev.llmotel.exchange.Exchange;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.HeaderLookup;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** An {@link Exchange} that records, in order, everything a hook reports to it. Thread-safe. */
public final class RecordedExchange implements Exchange {
  /** What the hook called. The last four are the terminal events, of which there must be exactly one. */
  public enum Kind {
    PROPAGATION_HEADERS, REQUEST_BODY, REQUEST_BODY_END, RESPONSE, RESPONSE_BODY,
    RESPONSE_BODY_END, RESPONSE_BODY_CLOSED, FAILED, RESPONSE_WITHOUT_BODY;

    public boolean terminal() {
      return ordinal() >= RESPONSE_BODY_END.ordinal();
    }
  }

  /** Header names looked up through the hook's {@link HeaderLookup} while {@code response} runs. */
  public static final List<String> SNAPSHOT_HEADERS =
      List.of("content-type", "Content-Type", "x-request-id", "X-REQUEST-ID", "retry-after");

  private final ExchangeRequest request;
  private final Map<String, String> propagation;
  private final List<Kind> events = new ArrayList<>();
  private final RecordedBytes requestBody = new RecordedBytes();
  private final RecordedBytes responseBody = new RecordedBytes();
  private final Map<String, String> responseHeaders = new HashMap<>();
  private final CountDownLatch ended = new CountDownLatch(1);
  private int status = -1;
  private Throwable failure;

  RecordedExchange(ExchangeRequest request, Map<String, String> propagation) {
    this.request = request;
    this.propagation = propagation;
  }

  // --- Exchange ---

  @Override
  public synchronized Map<String, String> propagationHeaders() {
    add(Kind.PROPAGATION_HEADERS);
    return propagation;
  }

  @Override
  public void requestBody(byte[] bytes, int offset, int length) {
    synchronized (this) {
      add(Kind.REQUEST_BODY);
    }
    requestBody.add(bytes, offset, length);
  }

  @Override
  public synchronized void requestBodyEnd() {
    add(Kind.REQUEST_BODY_END);
  }

  @Override
  public synchronized void response(int statusCode, HeaderLookup headers) {
    add(Kind.RESPONSE);
    status = statusCode;
    for (String name : SNAPSHOT_HEADERS) responseHeaders.put(name, headers.get(name));
  }

  @Override
  public void responseBody(byte[] bytes, int offset, int length) {
    synchronized (this) {
      add(Kind.RESPONSE_BODY);
    }
    responseBody.add(bytes, offset, length);
  }

  @Override
  public synchronized void responseBodyEnd() {
    add(Kind.RESPONSE_BODY_END);
  }

  @Override
  public synchronized void responseBodyClosed() {
    add(Kind.RESPONSE_BODY_CLOSED);
  }

  @Override
  public synchronized void responseWithoutBody() {
    add(Kind.RESPONSE_WITHOUT_BODY);
  }

  @Override
  public synchronized void failed(Throwable error) {
    if (failure == null) failure = error;
    add(Kind.FAILED);
  }

  private void add(Kind kind) {
    // consecutive body reports collapse into one event: the order is what matters
    boolean repeat = !events.isEmpty() && events.get(events.size() - 1) == kind
        && (kind == Kind.REQUEST_BODY || kind == Kind.RESPONSE_BODY);
    if (!repeat) events.add(kind);
    if (kind.terminal()) ended.countDown();
  }

  // --- what the test reads ---

  /** The request the hook described to {@link dev.llmotel.exchange.Exchanges#begin}. */
  public ExchangeRequest request() {
    return request;
  }

  /** The propagation headers this exchange handed to the hook. */
  public Map<String, String> propagation() {
    return propagation;
  }

  /** Events in order; a run of body reports appears once. */
  public synchronized List<Kind> events() {
    return Collections.unmodifiableList(new ArrayList<>(events));
  }

  public synchronized List<Kind> terminalEvents() {
    List<Kind> terminal = new ArrayList<>();
    for (Kind k : events) if (k.terminal()) terminal.add(k);
    return terminal;
  }

  public RecordedBytes requestBody() {
    return requestBody;
  }

  public RecordedBytes responseBody() {
    return responseBody;
  }

  /** The status passed to {@code response}, or -1. */
  public synchronized int status() {
    return status;
  }

  /** A header as the hook's HeaderLookup answered during {@code response}; one of {@link #SNAPSHOT_HEADERS}. */
  public synchronized String responseHeader(String name) {
    if (!SNAPSHOT_HEADERS.contains(name)) throw new IllegalArgumentException("not snapshot: " + name);
    return responseHeaders.get(name);
  }

  /** The throwable of the first {@code failed}, or null. */
  public synchronized Throwable failure() {
    return failure;
  }

  /**
   * Waits until a terminal event arrived (a client may report it on its own thread just after the application's call
   * returned) and returns it.
   */
  public Kind awaitEnd(long timeout, TimeUnit unit) throws InterruptedException {
    if (!ended.await(timeout, unit)) throw new AssertionError("the exchange never ended: " + events());
    return terminalEvents().get(0);
  }

  public boolean hasEnded() {
    return ended.getCount() == 0;
  }

  @Override
  public synchronized String toString() {
    return request + " " + events;
  }
}
