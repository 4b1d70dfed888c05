package dev.llmotel.hook.apachehttpclient.v5.helper;

import dev.llmotel.bootstrap.CallHook;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;

/**
 * The per-loader half of the async hook. On enter it wraps the application's request producer, response consumer and
 * future callback around one {@link AsyncCall}: whether the call is an LLM exchange is known only once the producer
 * hands the client its request head (on the calling thread, inside {@code doExecute}); until then, and for every
 * other request, the wrappers only forward. Arguments: {@code {target, producer, consumer, callback}}, replaced in
 * place.
 */
public final class AsyncExecuteHook implements CallHook {
  @Override
  public Object enter(Object self, Object[] args) {
    try {
      if (!(args[1] instanceof AsyncRequestProducer) || !(args[2] instanceof AsyncResponseConsumer)) return null;
      if (args[1] instanceof TeeRequestProducer) return null; // already observed (a client calling another)
      if (args[3] != null && !(args[3] instanceof FutureCallback)) return null;
      AsyncCall call = new AsyncCall(args[0] instanceof HttpHost ? (HttpHost) args[0] : null);
      TeeRequestProducer producer = new TeeRequestProducer((AsyncRequestProducer) args[1], call);
      AsyncResponseConsumer<Object> appConsumer = cast(args[2]);
      FutureCallback<Object> appCallback = cast(args[3]);
      TeeResponseConsumer<Object> consumer = new TeeResponseConsumer<Object>(appConsumer, call);
      CancelWatch<Object> callback = new CancelWatch<Object>(appCallback, call);
      args[1] = producer;
      args[2] = consumer;
      args[3] = callback;
      return call;
    } catch (Throwable t) {
      return null;
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T cast(Object o) {
    return (T) o;
  }

  @Override
  public void exit(Object token, Object result, Throwable thrown) {
    if (thrown != null) ((AsyncCall) token).failed(thrown);
  }

  /**
   * The callback of the future the application gets ({@code null} if it gave none): the future calls {@code
   * cancelled()} when the application cancels it, before the client tears the exchange down.
   */
  static final class CancelWatch<T> implements FutureCallback<T> {
    private final FutureCallback<T> delegate;
    private final AsyncCall call;

    CancelWatch(FutureCallback<T> delegate, AsyncCall call) {
      this.delegate = delegate;
      this.call = call;
    }

    @Override
    public void completed(T result) {
      if (delegate != null) delegate.completed(result);
    }

    @Override
    public void failed(Exception ex) {
      if (delegate != null) delegate.failed(ex);
    }

    @Override
    public void cancelled() {
      try {
        call.cancelled();
      } finally {
        if (delegate != null) delegate.cancelled();
      }
    }
  }
}
