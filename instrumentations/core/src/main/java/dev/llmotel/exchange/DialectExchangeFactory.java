package dev.llmotel.exchange;

import dev.llmotel.dialect.Dialect;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.telemetry.CallListener;
import dev.llmotel.telemetry.InferenceSpans;
import java.util.ArrayList;
import java.util.List;

/** Asks each dialect in turn whether it speaks the request; the first that does gets a traced exchange. */
public final class DialectExchangeFactory implements ExchangeFactory {
  private final Dialect[] dialects;
  private final DialectContext context;
  private final InferenceSpans spans;
  private final CallListener listener;

  public DialectExchangeFactory(List<Dialect> dialects, DialectContext context, InferenceSpans spans) {
    this(dialects, context, spans, null);
  }

  /** @param listener told of every finished call (console lines, usage summary), or null */
  public DialectExchangeFactory(List<Dialect> dialects, DialectContext context, InferenceSpans spans,
      CallListener listener) {
    this.dialects = new ArrayList<>(dialects).toArray(new Dialect[0]);
    this.context = context;
    this.spans = spans;
    this.listener = listener;
  }

  @Override
  public Exchange begin(ExchangeRequest request) {
    for (Dialect dialect : dialects) {
      DialectSession session;
      try {
        session = dialect.open(request, context);
      } catch (Throwable t) {
        continue;
      }
      if (session != null) return new TracedExchange(request, session, spans, listener);
    }
    return null;
  }
}
