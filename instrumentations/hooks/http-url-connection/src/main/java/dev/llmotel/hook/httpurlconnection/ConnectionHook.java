package dev.llmotel.hook.httpurlconnection;

import dev.llmotel.bootstrap.CallHook;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What every advice of this hook calls: {@code args[0]} names the connection method (or event), {@code args[1]}
 * carries the request headers (on the calls that may begin the exchange) or the exception (for {@link
 * #HTTPS_CONNECT_FAILED}).
 *
 * <p>One application call is observed once: the JDK's methods call each other ({@code getInputStream} runs {@code
 * getResponseCode}, which runs {@code getInputStream}; streaming mode runs {@code getOutputStream} and {@code
 * connect}; redirects and retries stay inside {@code getInputStream}), and so does this hook when it reads the
 * response headers. While a connection is inside an observed call on a thread, its nested calls on that thread pass
 * straight through. Another connection used inside (an {@code Authenticator} or {@code ResponseCache} making its
 * own request) is observed on its own.
 *
 * <p>Rules, per connection object (which makes at most one request):
 * <ul>
 *   <li>begins at the first of {@code connect()} / {@code getOutputStream()} / {@code getInputStream()} (so also
 *       {@code getResponseCode()} and the header getters), not yet connected; asks {@code Exchanges} once;
 *   <li>a failure thrown by one of them before a response ends it as failed;
 *   <li>the response (status and headers) is reported once, when {@code getInputStream()} returns or throws for a
 *       4xx/5xx; a response without a body by HTTP's rules ends it at once;
 *   <li>the body read through the teed {@code getInputStream()} or {@code getErrorStream()} stream: end of stream (or
 *       the last byte of a body of known length) ends it; {@code close()} or {@code disconnect()} before that ends it
 *       as abandoned, and so does the connection object being collected with the body unread (only {@code
 *       getResponseCode()} called, say); a body nobody reads, closes or disconnects while the object lives is ended by
 *       the idle reaper ({@code idle-timeout-millis}), or at the JVM's exit.
 * </ul>
 */
final class ConnectionHook implements CallHook {
  /** The event {@link HttpsConnectAdvice} reports (a constant: inlined into the advice). */
  static final String HTTPS_CONNECT_FAILED = "https-connect-failed";

  /** Connections inside an observed call on this thread (usually none or one). */
  private static final ThreadLocal<List<Object>> INSIDE = new ThreadLocal<List<Object>>() {
    @Override
    protected List<Object> initialValue() {
      return new ArrayList<Object>(2);
    }
  };

  private final ConnectionRegistry registry;

  ConnectionHook() {
    this(new ConnectionRegistry());
  }

  ConnectionHook(ConnectionRegistry registry) {
    this.registry = registry;
  }

  /** One observed call, from enter to exit. */
  static final class Call {
    final String method;
    final HttpURLConnection connection;
    final ObservedConnection observed;
    final List<Object> inside;

    Call(String method, HttpURLConnection connection, ObservedConnection observed, List<Object> inside) {
      this.method = method;
      this.connection = connection;
      this.observed = observed;
      this.inside = inside;
    }
  }

  @Override
  public Object enter(Object self, Object[] args) {
    try {
      if (!(self instanceof HttpURLConnection) || args == null || args.length < 2) return null;
      HttpURLConnection connection = (HttpURLConnection) self;
      String method = String.valueOf(args[0]);
      List<Object> inside = INSIDE.get();
      boolean nested = contains(inside, connection);
      if ("disconnect".equals(method)) {
        ObservedConnection observed = registry.find(connection);
        if (observed != null) observed.released();
        return null;
      }
      if (HTTPS_CONNECT_FAILED.equals(method)) {
        // inside getInputStream / getOutputStream the exception goes on to their exit, which decides
        ObservedConnection observed = nested ? null : registry.find(connection);
        if (observed != null && args[1] instanceof Throwable) observed.failed((Throwable) args[1]);
        return null;
      }
      if (nested) return null;
      ObservedConnection observed;
      if ("getErrorStream".equals(method)) {
        observed = registry.find(connection);
        if (observed == null || !observed.responseReported()) return null;
      } else {
        observed = registry.findOrCreate(connection);
        if (observed == null) return null;
        observed.beginOnce(connection, requestHeaders(args[1]));
        if (!observed.observed()) return null;
      }
      inside.add(connection);
      return new Call(method, connection, observed, inside);
    } catch (Throwable t) {
      return null;
    }
  }

  @Override
  public void exit(Object token, Object result, Throwable thrown) {
    if (!(token instanceof Call)) return;
    Call call = (Call) token;
    try {
      Object[] box = result instanceof Object[] ? (Object[]) result : null;
      if ("getOutputStream".equals(call.method)) {
        if (thrown != null) failedBeforeResponse(call, thrown);
        else if (box != null && box[0] instanceof OutputStream) {
          box[0] = call.observed.requestStream((OutputStream) box[0], call.connection);
        }
      } else if ("getInputStream".equals(call.method)) {
        inputStreamReturned(call, box, thrown);
      } else if ("getErrorStream".equals(call.method)) {
        if (box != null && box[0] instanceof InputStream) {
          box[0] = call.observed.responseStream((InputStream) box[0], call.connection);
        }
      } else if (thrown != null) { // connect, plainConnect
        failedBeforeResponse(call, thrown);
      }
    } catch (Throwable ignored) {
      // nothing reaches the application
    } finally {
      remove(call.inside, call.connection);
    }
  }

  /**
   * {@code getInputStream()} returned the body (a 1xx-3xx status), or threw: for a 4xx/5xx (the status line arrived)
   * the response is reported and its body awaits {@code getErrorStream()}; anything else before a response failed.
   */
  private static void inputStreamReturned(Call call, Object[] box, Throwable thrown) {
    ObservedConnection observed = call.observed;
    int status = box != null && box[1] instanceof Integer ? (Integer) box[1] : -1;
    if (thrown != null) {
      if (observed.responseReported()) return; // a later call rethrowing the remembered exception
      if (status >= 400) observed.response(call.connection, status);
      else observed.failed(thrown);
      return;
    }
    if (status < 0) status = statusOf(call.connection); // a cached response: parsed from its headers
    observed.response(call.connection, status);
    if (box != null && box[0] instanceof InputStream) {
      box[0] = observed.responseStream((InputStream) box[0], call.connection);
    }
  }

  /**
   * A call that threw before any response: the exchange failed. After the response (the application calling {@code
   * getOutputStream()} once it read it, say) the exception is the application's mistake, not the exchange's.
   */
  private static void failedBeforeResponse(Call call, Throwable thrown) {
    if (!call.observed.responseReported()) call.observed.failed(thrown);
  }

  /** The status through the public API (safe here: the connection is inside this call, nested calls pass through). */
  private static int statusOf(HttpURLConnection connection) {
    try {
      return connection.getResponseCode();
    } catch (Throwable t) {
      return -1;
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, List<String>> requestHeaders(Object headers) {
    return headers instanceof Map ? (Map<String, List<String>>) headers : null;
  }

  private static boolean contains(List<Object> inside, Object connection) {
    for (int i = 0; i < inside.size(); i++) {
      if (inside.get(i) == connection) return true;
    }
    return false;
  }

  private static void remove(List<Object> inside, Object connection) {
    for (int i = inside.size() - 1; i >= 0; i--) {
      if (inside.get(i) == connection) {
        inside.remove(i);
        return;
      }
    }
  }
}
