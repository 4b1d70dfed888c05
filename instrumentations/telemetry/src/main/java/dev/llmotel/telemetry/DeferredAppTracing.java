package dev.llmotel.telemetry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The application's tracer while the agent's SDK is still starting: a span started then never waits for the SDK. It
 * gets its ids at once (the parent's trace and flag, or a new sampled trace at a root: the default sampler's choice,
 * as for LLM calls begun before the SDK is up), so its children and the {@code traceparent} of calls made inside it
 * name it; what the application does with it is kept (bounded) and replayed through the SDK, under the same ids and
 * times, once the span has ended and the SDK is up. Spans that end before then wait, at most {@value #MAX_WAITING}
 * of them; the rest are dropped. Spans the SDK never comes up for are dropped.
 */
final class DeferredAppTracing implements AppTracing {
  static final int MAX_WAITING = 1024;
  /** Per span: attributes, events and the like kept for the replay. */
  static final int MAX_OPS = 256;

  private final Pending<AppTracing> sdk;
  private final ConcurrentLinkedQueue<DeferredSpan> waiting = new ConcurrentLinkedQueue<>();
  private final AtomicInteger waitingCount = new AtomicInteger();

  DeferredAppTracing(Pending<AppTracing> sdk) {
    this.sdk = sdk;
  }

  @Override
  public AppSpan startSpan(String scopeName, String scopeVersion, String spanName, int kind, ParentSpan parent,
      long startEpochNanos) {
    return new DeferredSpan(this, scopeName, scopeVersion, spanName, kind, parent,
        startEpochNanos > 0 ? startEpochNanos : TracedCall.epochNanos());
  }

  /** Replays every span that ended while the SDK was starting (the SDK is now up, or never will be). */
  void sdkSettled() {
    AppTracing real = sdk.peek();
    for (DeferredSpan s; (s = waiting.poll()) != null; ) {
      waitingCount.decrementAndGet();
      if (real != null) s.replay(real);
    }
  }

  private void ended(DeferredSpan span) {
    AppTracing real = sdk.peek();
    if (real != null) {
      sdkSettled(); // earlier spans first
      span.replay(real);
      return;
    }
    if (waitingCount.incrementAndGet() > MAX_WAITING) {
      waitingCount.decrementAndGet();
      return;
    }
    waiting.add(span);
    if (sdk.peek() != null) sdkSettled(); // the SDK came up meanwhile: nobody else may drain the queue
  }

  /** One operation on the span, applied to the SDK's span on replay. */
  private interface Op {
    void apply(AppSpan span);
  }

  static final class DeferredSpan implements AppSpan {
    private final DeferredAppTracing owner;
    private final String scopeName;
    private final String scopeVersion;
    private final int kind;
    private final ParentSpan parent;
    private final long startEpochNanos;
    private final String traceId;
    private final String spanId;
    private final byte traceFlags;
    private final List<Op> ops = new ArrayList<>();
    private String name;
    private long endEpochNanos;
    private boolean ended;

    DeferredSpan(DeferredAppTracing owner, String scopeName, String scopeVersion, String name, int kind,
        ParentSpan parent, long startEpochNanos) {
      this.owner = owner;
      this.scopeName = scopeName;
      this.scopeVersion = scopeVersion;
      this.name = name;
      this.kind = kind;
      this.parent = parent;
      this.startEpochNanos = startEpochNanos;
      this.traceId = parent != null ? parent.traceId() : PresetIds.newTraceId();
      this.spanId = PresetIds.newSpanId();
      this.traceFlags = parent != null ? parent.traceFlags() : (byte) 1;
    }

    @Override
    public String traceId() {
      return traceId;
    }

    @Override
    public String spanId() {
      return spanId;
    }

    @Override
    public byte traceFlags() {
      return traceFlags;
    }

    @Override
    public synchronized boolean isRecording() {
      return !ended && (traceFlags & 1) != 0;
    }

    private synchronized void add(Op op) {
      if (!ended && ops.size() < MAX_OPS) ops.add(op);
    }

    @Override
    public void setAttribute(String key, Object value) {
      add(s -> s.setAttribute(key, value));
    }

    @Override
    public void addEvent(String eventName, Map<String, Object> attributes, long epochNanos) {
      long at = epochNanos > 0 ? epochNanos : TracedCall.epochNanos();
      add(s -> s.addEvent(eventName, attributes, at));
    }

    @Override
    public void setStatus(int statusCode, String description) {
      add(s -> s.setStatus(statusCode, description));
    }

    @Override
    public void recordException(Throwable error, Map<String, Object> attributes) {
      add(s -> s.recordException(error, attributes));
    }

    @Override
    public synchronized void updateName(String newName) {
      if (!ended && newName != null) name = newName;
    }

    @Override
    public void end(long epochNanos) {
      synchronized (this) {
        if (ended) return;
        ended = true;
        endEpochNanos = epochNanos > 0 ? epochNanos : TracedCall.epochNanos();
      }
      if ((traceFlags & 1) != 0) owner.ended(this);
    }

    /** Starts the SDK's span under this span's ids and times, applies what the application did, ends it. */
    void replay(AppTracing real) {
      AppSpan span;
      PresetIds.preset(traceId, spanId);
      try {
        span = real.startSpan(scopeName, scopeVersion, name, kind, parent, startEpochNanos);
      } finally {
        PresetIds.clear();
      }
      if (span == null) return;
      for (Op op : ops) {
        try {
          op.apply(span);
        } catch (Throwable ignored) {
          // one bad value does not lose the span
        }
      }
      span.end(endEpochNanos);
    }
  }
}
