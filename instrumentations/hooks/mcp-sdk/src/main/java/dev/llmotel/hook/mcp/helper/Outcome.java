package dev.llmotel.hook.mcp.helper;

import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * The outcome of one MCP request as its {@code Mono} signals it. The call ends as the outcome passes, before the
 * application (or the server's session) sees it, so an application that exits right after a failed call never finds
 * it still open; {@code doFinally} is left for a cancellation. Ends once; nothing reaches the application's stream.
 */
abstract class Outcome {
  abstract void value(Object v);

  abstract void error(Throwable t);

  /** Ends the call (once, whatever signal comes first). */
  abstract void finish(SignalType signal);

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
