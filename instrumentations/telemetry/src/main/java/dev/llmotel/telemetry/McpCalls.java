package dev.llmotel.telemetry;

import dev.llmotel.exchange.RpcCall;
import dev.llmotel.exchange.RpcCallFactory;
import dev.llmotel.exchange.RpcRequest;
import dev.llmotel.exchange.RpcResult;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent's {@link RpcCallFactory}: MCP calls go to {@link McpTelemetry} once it exists. A call made while the agent
 * is still starting its SDK neither waits for it nor goes untraced: its parent, ids (they go out in its {@code
 * traceparent}), sampling (the default sampler's: the parent's flag, sampled at a root) and start are fixed on the
 * caller's thread, and its span is recorded when the telemetry is ready (at once if it is by the time the call ends;
 * at most {@value #MAX_WAITING} such calls are kept).
 */
public final class McpCalls implements RpcCallFactory {
  static final int MAX_WAITING = 1024;
  private final ContentPolicy content;
  private final List<Deferred> waiting = new ArrayList<>();
  /** Calls begun before the telemetry existed and not ended yet (at most {@value McpTelemetry#MAX_OPEN}). */
  private final Set<Deferred> open = ConcurrentHashMap.newKeySet();
  private volatile McpTelemetry telemetry;
  private volatile boolean failed;
  /** {@link #IDLE}, {@link #BEGUN} (a call began before the telemetry was ready) or {@link #CLOSED} (see {@link
   * #failUnlessBegun}). */
  private final AtomicInteger use = new AtomicInteger(IDLE);
  private static final int IDLE = 0;
  private static final int BEGUN = 1;
  private static final int CLOSED = 2;

  /** @param content the policy the telemetry will apply (known before it exists: whether to keep arguments) */
  public McpCalls(ContentPolicy content) {
    this.content = content == null ? ContentPolicy.off() : content;
  }

  @Override
  public RpcCall begin(RpcRequest request) {
    McpTelemetry t = telemetry;
    if (t != null) return t.begin(request);
    if (failed || !McpTelemetry.SYSTEM.equals(request.system) || request.method == null) return null;
    if (use.get() != BEGUN && !use.compareAndSet(IDLE, BEGUN) && use.get() != BEGUN) return null; // closed at exit
    Deferred call = new Deferred(this, request);
    if (open.size() < McpTelemetry.MAX_OPEN) open.add(call);
    return call;
  }

  /**
   * The JVM is exiting: every call still open ends now with {@code error.type=unfinished} (one begun before the
   * telemetry was ready is recorded if it is by now), so that its span is recorded before the exporter's last flush.
   */
  public void endAtExit() {
    for (Deferred call : open.toArray(new Deferred[0])) call.end(McpTelemetry.unfinished());
    McpTelemetry t = telemetry;
    if (t != null) t.endAtExit();
  }

  /** The telemetry is ready: records the calls that ended while it was not, and hands it every new call. */
  public void ready(McpTelemetry t) {
    List<Deferred> ended;
    synchronized (waiting) {
      if (failed) return; // the exit hook went on without it
      telemetry = t;
      ended = new ArrayList<>(waiting);
      waiting.clear();
    }
    for (Deferred d : ended) t.record(d);
  }

  /** Whether an MCP call began before the telemetry was ready (never waits). */
  public boolean begun() {
    return use.get() == BEGUN;
  }

  /**
   * Fails it if no call has begun and the telemetry is not ready, in one atomic step: a call that begins from then
   * on goes untraced. Returns false (and changes nothing) otherwise. The exit hook's way not to wait for an SDK
   * nothing used.
   */
  public boolean failUnlessBegun() {
    if (telemetry != null || !use.compareAndSet(IDLE, CLOSED)) return false;
    fail();
    return true;
  }

  /** The telemetry will never be ready: calls go untraced. */
  public void fail() {
    failed = true;
    synchronized (waiting) {
      waiting.clear();
    }
  }

  private void ended(Deferred call) {
    McpTelemetry t = telemetry;
    if (t == null) {
      synchronized (waiting) {
        t = telemetry;
        if (t == null) {
          if (!failed && waiting.size() < MAX_WAITING) waiting.add(call);
          return;
        }
      }
    }
    t.record(call);
  }

  /** A call begun before the telemetry existed: what its span needs, fixed when it began. */
  static final class Deferred implements RpcCall {
    final RpcRequest request;
    final Context parent;
    final String traceId;
    final String spanId;
    final boolean sampled;
    final long startEpochNanos;
    private final long startNanos;
    private final McpCalls calls;
    private final AtomicBoolean ended = new AtomicBoolean();
    volatile String argumentsJson;
    volatile RpcResult result;
    volatile long durationNanos;

    Deferred(McpCalls calls, RpcRequest request) {
      this.calls = calls;
      this.request = request;
      this.startEpochNanos = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
      this.startNanos = System.nanoTime();
      this.parent = request.server ? McpTelemetry.serverParent(request.incomingContext) : McpTelemetry.localParent();
      SpanContext sc = Span.fromContext(parent).getSpanContext();
      boolean hasParent = sc.isValid();
      this.traceId = hasParent ? sc.getTraceId() : PresetIds.newTraceId();
      this.spanId = PresetIds.newSpanId();
      this.sampled = !hasParent || sc.isSampled();
    }

    @Override
    public Map<String, String> propagation() {
      if (request.server) return Collections.emptyMap();
      return Collections.singletonMap("traceparent", InferenceSpans.traceparent(traceId, spanId, sampled));
    }

    @Override
    public boolean capturesContent() {
      return calls.content.capture() && McpTelemetry.TOOLS_CALL.equals(request.method);
    }

    @Override
    public void arguments(String json) {
      argumentsJson = json;
    }

    @Override
    public int contentLimit() {
      return McpTelemetry.contentLimit(calls.content);
    }

    @Override
    public void end(RpcResult r) {
      if (!ended.compareAndSet(false, true)) return;
      calls.open.remove(this);
      durationNanos = System.nanoTime() - startNanos;
      result = r;
      try {
        calls.ended(this);
      } catch (Throwable ignored) {
        // telemetry trouble is never the application's
      }
    }
  }
}
