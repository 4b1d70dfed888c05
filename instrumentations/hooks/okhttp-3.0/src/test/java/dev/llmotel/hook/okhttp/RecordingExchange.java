package dev.llmotel.hook.okhttp;

import dev.llmotel.exchange.Exchange;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.HeaderLookup;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** Records what a hook reports, in order. */
final class RecordingExchange implements Exchange {
  final ExchangeRequest request;
  final ByteArrayOutputStream requestBody = new ByteArrayOutputStream();
  final ByteArrayOutputStream responseBody = new ByteArrayOutputStream();
  final List<String> events = Collections.synchronizedList(new ArrayList<>());
  volatile Throwable failure;
  volatile int status = -1;

  RecordingExchange(ExchangeRequest request) {
    this.request = request;
  }

  @Override
  public Map<String, String> propagationHeaders() {
    return Collections.singletonMap("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
  }

  @Override public synchronized void requestBody(byte[] b, int off, int len) { requestBody.write(b, off, len); }
  @Override public void requestBodyEnd() { events.add("requestBodyEnd"); }

  @Override
  public void response(int statusCode, HeaderLookup headers) {
    status = statusCode;
    events.add("response " + statusCode + " " + headers.get("content-type"));
  }

  @Override public synchronized void responseBody(byte[] b, int off, int len) { responseBody.write(b, off, len); }
  @Override public void responseBodyEnd() { events.add("end"); }
  @Override public void responseBodyClosed() { events.add("closed"); }
  @Override public void responseWithoutBody() { events.add("noBody"); }

  @Override
  public void failed(Throwable error) {
    failure = error;
    events.add("failed");
  }
}
