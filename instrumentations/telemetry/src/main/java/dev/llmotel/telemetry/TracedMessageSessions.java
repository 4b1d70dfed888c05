package dev.llmotel.telemetry;

import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.MessageDialect;
import dev.llmotel.dialect.MessageDialectSession;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.GuardedMessageSession;
import dev.llmotel.exchange.MessageSession;
import dev.llmotel.exchange.MessageSessionFactory;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link MessageSessionFactory} of the agent: asks each {@link MessageDialect} in turn (precedence, then name)
 * whether it speaks the upgrade request; the first that does gets a {@link TracedMessageSession} behind a {@link
 * GuardedMessageSession}. A session that begins before the telemetry is ready goes untraced (sessions are rare and
 * long; none waits).
 */
public final class TracedMessageSessions implements MessageSessionFactory {
  private final MessageDialect[] dialects;
  private final DialectContext context;
  private final Pending<InferenceTelemetry> telemetry;
  private final CallListener listener;
  private final boolean propagate;
  private final boolean defaultSampler;
  /** The sessions begun and not ended yet (only those: a session leaves the set when it ends). */
  private final Set<MessageSession> open = ConcurrentHashMap.newKeySet();

  // not private: no synthetic accessor class in the agent jar
  TracedMessageSessions(Builder b) {
    this.dialects = byPrecedence(b.dialects);
    this.context = b.context;
    this.telemetry = b.telemetry;
    this.listener = b.listener;
    this.propagate = b.propagate;
    this.defaultSampler = b.defaultSampler;
  }

  /**
   * By {@link MessageDialect#precedence()}, then name; the sort is stable. The comparator is a class, not
   * {@code Comparator.comparingInt(..).thenComparing(..)}: this runs at premain, where a lambda would bootstrap the
   * lambda machinery on the application's main thread.
   */
  static MessageDialect[] byPrecedence(List<MessageDialect> dialects) {
    MessageDialect[] sorted = dialects.toArray(new MessageDialect[0]);
    Arrays.sort(sorted, new ByPrecedence());
    return sorted;
  }

  /** See {@link #byPrecedence}. */
  static final class ByPrecedence implements Comparator<MessageDialect> {
    @Override
    public int compare(MessageDialect a, MessageDialect b) {
      int byPrecedence = Integer.compare(a.precedence(), b.precedence());
      return byPrecedence != 0 ? byPrecedence : a.name().compareTo(b.name());
    }
  }

  public static Builder builder(List<MessageDialect> dialects, Pending<InferenceTelemetry> telemetry) {
    return new Builder(dialects, telemetry);
  }

  @Override
  public MessageSession begin(ExchangeRequest request) {
    for (MessageDialect dialect : dialects) {
      TracedMessageSession traced = new TracedMessageSession(request, listener);
      MessageDialectSession session;
      try {
        session = dialect.open(request, context, traced);
      } catch (Throwable t) {
        continue;
      }
      if (session == null) continue;
      InferenceTelemetry ready = telemetry.get(0);
      // before the SDK is up: begun now and recorded once it is, as the default sampler would decide; another
      // sampler cannot be asked yet, so such a session goes untraced
      if (ready == null && (!defaultSampler || telemetry.isDone())) return null;
      // a fragmented text message is joined up to the largest event a dialect parses
      GuardedMessageSession guarded = new GuardedMessageSession(traced, context.maxEventBytes());
      traced.start(session, telemetry, ready, propagate, () -> open.remove(guarded));
      open.add(guarded);
      return guarded;
    }
    return null;
  }

  /**
   * The JVM is exiting: the sessions still open end now, as closed with 1001 (going away; a response still running
   * ends as truncated), so that their spans are recorded before the exporter's last flush.
   */
  public void endAtExit() {
    for (MessageSession session : open.toArray(new MessageSession[0])) session.closed(1001, "JVM exit");
  }

  /** How many sessions are open (for tests). */
  int openSessions() {
    return open.size();
  }

  public static final class Builder {
    private final List<MessageDialect> dialects;
    private final Pending<InferenceTelemetry> telemetry;
    private DialectContext context = DialectContext.defaults();
    private CallListener listener;
    private boolean propagate = true;
    private boolean defaultSampler;

    // not private: no synthetic accessor class in the agent jar
    Builder(List<MessageDialect> dialects, Pending<InferenceTelemetry> telemetry) {
      this.dialects = dialects;
      this.telemetry = telemetry;
    }

    public Builder context(DialectContext context) {
      this.context = context;
      return this;
    }

    /** Told of every finished turn (a response of a realtime session); default none. */
    public Builder listener(CallListener listener) {
      this.listener = listener;
      return this;
    }

    /** Whether hooks add the session's {@code traceparent} to the upgrade request; default true. */
    /**
     * Whether the SDK's sampler is the default one (parent-based always-on): then a session begun before the SDK is
     * up is traced (ids now, recorded once it is up). Default: false (such a session goes untraced).
     */
    public Builder defaultSampler(boolean defaultSampler) {
      this.defaultSampler = defaultSampler;
      return this;
    }

    public Builder propagate(boolean propagate) {
      this.propagate = propagate;
      return this;
    }

    public TracedMessageSessions build() {
      return new TracedMessageSessions(this);
    }
  }
}
