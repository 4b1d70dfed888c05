package dev.llmotel.hook.javahttpclient;

import dev.llmotel.exchange.Exchange;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.HeaderLookup;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Records what the hook reports, in order. */
final class RecordingExchange implements Exchange {
  final ExchangeRequest request;
  private final Map<String, String> propagation;
  private final ByteArrayOutputStream requestBody = new ByteArrayOutputStream();
  private final ByteArrayOutputStream responseBody = new ByteArrayOutputStream();
  private final List<String> events = new ArrayList<>();
  private final CountDownLatch ended = new CountDownLatch(1);
  volatile Throwable failure;

  RecordingExchange(ExchangeRequest request, Map<String, String> propagation) {
    this.request = request;
    this.propagation = propagation;
  }

  @Override
  public Map<String, String> propagationHeaders() {
    return propagation;
  }

  @Override public synchronized void requestBody(byte[] b, int off, int len) { requestBody.write(b, off, len); }
  @Override public synchronized void requestBodyEnd() { events.add("requestBodyEnd"); }

  @Override
  public synchronized void response(int statusCode, HeaderLookup headers) {
    events.add("response " + statusCode + " " + headers.get("content-type"));
  }

  @Override public synchronized void responseBody(byte[] b, int off, int len) { responseBody.write(b, off, len); }
  @Override public void responseBodyEnd() { terminal("end"); }
  @Override public void responseBodyClosed() { terminal("closed"); }
  @Override public void responseWithoutBody() { terminal("noBody"); }

  @Override
  public void failed(Throwable error) {
    failure = error;
    terminal("failed");
  }

  private synchronized void terminal(String event) {
    events.add(event);
    ended.countDown();
  }

  synchronized List<String> events() { return new ArrayList<>(events); }
  synchronized byte[] requestBytes() { return requestBody.toByteArray(); }
  synchronized byte[] responseBytes() { return responseBody.toByteArray(); }

  /** Waits for the terminal event (the client may report it on its own thread just after the app's call returns). */
  List<String> awaitEnd() throws InterruptedException {
    if (!ended.await(10, TimeUnit.SECONDS)) throw new AssertionError("exchange never ended: " + events());
    return events();
  }
}
