package dev.llmotel.exchange;

import java.util.Map;

/**
 * The processing side of an exchange: what happens to its events once the {@link QueuedExchange} hands them over, one
 * at a time and in order, on the worker's thread or (inline, or past the queue's cap) on the reporting one.
 */
public interface ExchangeHandler {
  /** Headers to add to the outgoing request (W3C {@code traceparent}), fixed when the exchange began. */
  Map<String, String> propagationHeaders();

  /**
   * Processes one event. Must not throw.
   *
   * @param onWorkerThread true on the worker's own thread, which may wait (for telemetry still starting); false on
   *     an application's thread, which never may
   * @return true when the exchange is over after this event (an ending kind, or the protocol's end marker in the
   *     body): no further event is handed over
   */
  boolean handle(ExchangeEvent event, boolean onWorkerThread);
}
