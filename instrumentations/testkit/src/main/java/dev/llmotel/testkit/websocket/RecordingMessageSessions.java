package dev.llmotel.testkit.websocket;

import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.HeaderLookup;
import dev.llmotel.exchange.MessageSession;
import dev.llmotel.exchange.MessageSessionFactory;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A {@link MessageSessionFactory} for WebSocket hook tests: records every upgrade request, and opens a {@link
 * Recording} session for those whose path ends in {@code /realtime}.
 */
public final class RecordingMessageSessions implements MessageSessionFactory {
  public final List<ExchangeRequest> requests = new CopyOnWriteArrayList<>();
  public final List<Recording> sessions = new CopyOnWriteArrayList<>();

  @Override
  public MessageSession begin(ExchangeRequest request) {
    requests.add(request);
    if (!request.path().endsWith("/realtime")) return null;
    Recording r = new Recording();
    sessions.add(r);
    return r;
  }

  /** The events of one session as lines ({@code open 101}, {@code > text}, {@code < 12 bytes}, {@code closed ...}). */
  public static final class Recording implements MessageSession {
    public final List<String> events = new CopyOnWriteArrayList<>();
    public final CountDownLatch ended = new CountDownLatch(1);

    @Override
    public Map<String, String> propagationHeaders() {
      return Collections.singletonMap("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    }

    /** As the contract says: what is reported after the end is ignored (counted here). */
    public int late;

    private synchronized void add(String event) {
      if (ended.getCount() == 0) late++;
      else events.add(event);
    }

    @Override public void opened(int statusCode, HeaderLookup headers) { add("open " + statusCode); }
    @Override public void textSent(CharSequence text, boolean last) { add("> " + text + (last ? "" : " …")); }
    @Override public void textReceived(CharSequence text, boolean last) { add("< " + text + (last ? "" : " …")); }
    @Override public void binarySent(long length) { add("> " + length + " bytes"); }
    @Override public void binaryReceived(long length) { add("< " + length + " bytes"); }

    @Override
    public synchronized void closed(int code, String reason) {
      add("closed " + code + " " + reason);
      ended.countDown();
    }

    @Override
    public synchronized void failed(Throwable error) {
      add("failed " + error.getClass().getSimpleName());
      ended.countDown();
    }
  }
}
