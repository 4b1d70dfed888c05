package dev.llmotel.hook.mcp.helper;

import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * The outcome of one MCP request as its {@code Mono} signals it. The call ends as the outcome passes, before the
 * application (or the server's session) sees it, so an application that exits right after a failed call never finds
 * it still open; {@code doFinally} is left for a cancellation. Ends once; nothing reaches the application's stream.
 */
abstract class Outcome {
  private volatile Throwable error;
  private final AtomicBoolean finished = new AtomicBoolean();

  abstract void value(Object v);

  /**
   * Ends the call with its result (called once).
   *
   * @param error the request's failure, or null
   */
  abstract void settle(SignalType signal, Throwable error);

  final void error(Throwable t) {
    error = t;
  }

  /** Ends the call (once, whatever signal comes first). */
  final void finish(SignalType signal) {
    if (finished.compareAndSet(false, true)) settle(signal, error);
  }

  /** The request's {@code Mono}, followed by this outcome. */
  final Mono<Object> follow(Mono<Object> mono) {
    return mono.doOnSuccess(this::succeeded).doOnError(this::failed).doFinally(this::finish);
  }

  final void succeeded(Object v) {
    try {
      if (v != null) value(v);
      finish(SignalType.ON_COMPLETE);
    } catch (Throwable ignored) {
      // never into the application's stream
    }
  }

  final void failed(Throwable t) {
    try {
      error(t);
      finish(SignalType.ON_ERROR);
    } catch (Throwable ignored) {
      // never into the application's stream
    }
  }
}
