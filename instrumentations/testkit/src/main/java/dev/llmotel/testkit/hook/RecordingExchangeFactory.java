package dev.llmotel.testkit.hook;

import dev.llmotel.exchange.Exchange;
import dev.llmotel.exchange.ExchangeFactory;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.Exchanges;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Opens a {@link RecordedExchange} for every request it accepts (by default all of them) and remembers every request it
 * was offered. {@link #install()} makes it the factory behind {@link Exchanges#begin}.
 */
public final class RecordingExchangeFactory implements ExchangeFactory {
  /** What every recorded exchange hands the hook to propagate. */
  public static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

  private final List<ExchangeRequest> offered = Collections.synchronizedList(new ArrayList<>());
  private final List<RecordedExchange> exchanges = Collections.synchronizedList(new ArrayList<>());
  private volatile Predicate<ExchangeRequest> accept = request -> true;
  private volatile Map<String, String> propagation = Map.of("traceparent", TRACEPARENT);

  /** Installs this factory into {@link Exchanges}; returns it. */
  public RecordingExchangeFactory install() {
    Exchanges.install(this);
    return this;
  }

  /** Removes any factory from {@link Exchanges}. */
  public static void uninstall() {
    Exchanges.install(null);
  }

  /** Which requests get an exchange (the others get null: "not an LLM call"). */
  public RecordingExchangeFactory accepting(Predicate<ExchangeRequest> accept) {
    this.accept = accept;
    return this;
  }

  /** The headers each new exchange asks the hook to propagate. */
  public RecordingExchangeFactory propagating(Map<String, String> headers) {
    this.propagation = headers;
    return this;
  }

  @Override
  public Exchange begin(ExchangeRequest request) {
    offered.add(request);
    if (!accept.test(request)) return null;
    RecordedExchange exchange = new RecordedExchange(request, propagation);
    exchanges.add(exchange);
    return exchange;
  }

  /** Every request the hook offered, accepted or not. */
  public List<ExchangeRequest> offered() {
    synchronized (offered) {
      return new ArrayList<>(offered);
    }
  }

  /** Every exchange opened, in order. */
  public List<RecordedExchange> exchanges() {
    synchronized (exchanges) {
      return new ArrayList<>(exchanges);
    }
  }

  /** The one exchange opened (fails otherwise). */
  public RecordedExchange only() {
    List<RecordedExchange> all = exchanges();
    if (all.size() != 1) throw new AssertionError("expected exactly one exchange, got " + all);
    return all.get(0);
  }
}
