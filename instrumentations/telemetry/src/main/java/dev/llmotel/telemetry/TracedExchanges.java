package dev.llmotel.telemetry;

import dev.llmotel.dialect.Dialect;
import dev.llmotel.dialect.DialectCall;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.exchange.Exchange;
import dev.llmotel.exchange.ExchangeFactory;
import dev.llmotel.exchange.ExchangeQueues;
import dev.llmotel.exchange.ExchangeRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Asks each dialect in turn, in the order of their {@link Dialect#precedence()}, whether it speaks the request; the
 * first that does gets a traced call behind a queued exchange. Build one with {@link #builder}.
 */
public final class TracedExchanges implements ExchangeFactory {
  private final Dialect[] dialects;
  private final DialectContext context;
  private final Pending<InferenceTelemetry> telemetry;
  private final long startupWaitMillis;
  private final CallListener listener;
  private final ExchangeQueues queues;
  private final boolean beginsBeforeTelemetry;
  private final long telemetryDeadlineNanos;
  private final boolean propagate;
  private final ContinuedCalls continued;

  // not private: no synthetic accessor class in the agent jar
  TracedExchanges(Builder b) {
    this.dialects = byPrecedence(b.dialects);
    this.context = b.context;
    this.telemetry = b.telemetry;
    this.startupWaitMillis = b.startupWaitMillis;
    this.listener = b.listener;
    this.queues = b.queues;
    this.beginsBeforeTelemetry = b.defaultSampler && !b.queues.worker().isInline();
    this.telemetryDeadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(b.startupWaitMillis);
    this.propagate = b.propagate;
    this.continued = new ContinuedCalls(b.maxOpenContinuedCalls, b.continuedCallIdleMillis);
  }

  /**
   * By {@link Dialect#precedence()}, then name; the sort is stable. The comparator is a class, not
   * {@code Comparator.comparingInt(..).thenComparing(..)}: this runs at premain, where a lambda would bootstrap the
   * lambda machinery on the application's main thread.
   */
  static Dialect[] byPrecedence(List<Dialect> dialects) {
    Dialect[] sorted = dialects.toArray(new Dialect[0]);
    Arrays.sort(sorted, new ByPrecedence());
    return sorted;
  }

  /** See {@link #byPrecedence}. */
  static final class ByPrecedence implements Comparator<Dialect> {
    @Override
    public int compare(Dialect a, Dialect b) {
      int byPrecedence = Integer.compare(a.precedence(), b.precedence());
      return byPrecedence != 0 ? byPrecedence : a.name().compareTo(b.name());
    }
  }

  /**
   * @param dialects asked in the order of their precedence (then name), whatever the list's order
   * @param telemetry spans, metrics and cost, possibly still being built when the first requests arrive
   */
  public static Builder builder(List<Dialect> dialects, Pending<InferenceTelemetry> telemetry) {
    return new Builder(dialects, telemetry);
  }

  /** The names of the dialects in the order they are asked. */
  public List<String> dialectOrder() {
    List<String> names = new ArrayList<>();
    for (Dialect d : dialects) names.add(d.name());
    return names;
  }

  /** See {@link ExchangeQueues#endAtExit}. */
  public void endAtExit(long timeoutMillis) {
    queues.endAtExit(timeoutMillis);
    continued.endAll();
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
      if (session != null) {
        if (!beginsBeforeTelemetry && telemetry.get(startupWaitMillis) == null) return null;
        return queues.open(new TracedCall(request, new DialectCall(session), telemetry, telemetryDeadlineNanos,
            listener, propagate, continued));
      }
    }
    return null;
  }

  public static final class Builder {
    private final List<Dialect> dialects;
    private final Pending<InferenceTelemetry> telemetry;
    private DialectContext context = DialectContext.defaults();
    private long startupWaitMillis;
    private CallListener listener;
    private ExchangeQueues queues = ExchangeQueues.inline();
    private boolean defaultSampler;
    private boolean propagate = true;
    private int maxOpenContinuedCalls = ContinuedCalls.DEFAULT_MAX_OPEN;
    private long continuedCallIdleMillis = 600_000;

    // not private: no synthetic accessor class in the agent jar
    Builder(List<Dialect> dialects, Pending<InferenceTelemetry> telemetry) {
      this.dialects = dialects;
      this.telemetry = telemetry;
    }

    /** Limits and content settings for the dialects; default: {@link DialectContext#defaults()}. */
    public Builder context(DialectContext context) {
      this.context = context;
      return this;
    }

    /**
     * How long an LLM request may wait for the telemetry during start-up before going untraced (or, when it need not
     * wait, how long its span may wait to be recorded); default 0.
     */
    public Builder startupWaitMillis(long startupWaitMillis) {
      this.startupWaitMillis = startupWaitMillis;
      return this;
    }

    /** Told of every finished call (console lines, usage summary); default none. */
    public Builder listener(CallListener listener) {
      this.listener = listener;
      return this;
    }

    /** Where the exchanges' events are processed; default inline, on the reporting thread. */
    public Builder queues(ExchangeQueues queues) {
      this.queues = queues;
      return this;
    }

    /**
     * The configured sampler is the SDK's default (parent-based, always on). With a background worker, a call made
     * while the telemetry is still being built then does not wait for it: its ids and sampling are fixed without the
     * SDK and its span is recorded once telemetry is ready, however late (at most 256 such calls wait so; past that, if it
     * is ready within the start-up wait of this factory's creation). Otherwise such a call waits, at most the start-up wait, before it is sent.
     */
    public Builder defaultSampler(boolean defaultSampler) {
      this.defaultSampler = defaultSampler;
      return this;
    }

    /**
     * Whether hooks add the call's {@code traceparent} to the request; default true. Off when another agent's HTTP
     * instrumentation propagates the context itself (the agent as an extension of the OpenTelemetry Java agent).
     */
    public Builder propagate(boolean propagate) {
      this.propagate = propagate;
      return this;
    }

    /**
     * Calls that span several exchanges (a conversation turn fetched by a later request): at most {@code maxOpen}
     * open at once (the oldest is ended, marked, past it; default {@value ContinuedCalls#DEFAULT_MAX_OPEN}), and one
     * that no exchange continued for {@code idleMillis} is ended as timed out (default 600,000; 0: only at exit).
     */
    public Builder continuedCalls(int maxOpen, long idleMillis) {
      this.maxOpenContinuedCalls = maxOpen;
      this.continuedCallIdleMillis = idleMillis;
      return this;
    }

    public TracedExchanges build() {
      return new TracedExchanges(this);
    }
  }
}
