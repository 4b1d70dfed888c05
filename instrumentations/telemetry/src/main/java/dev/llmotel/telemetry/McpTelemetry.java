package dev.llmotel.telemetry;

import static dev.llmotel.telemetry.McpAttributes.*;

import dev.llmotel.exchange.RpcCall;
import dev.llmotel.exchange.RpcCallFactory;
import dev.llmotel.exchange.RpcRequest;
import dev.llmotel.exchange.RpcResult;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * MCP requests (client and server) as spans and duration metrics per the MCP semantic conventions: span {@code
 * {mcp.method.name} {target}} (a tool or prompt name; a resource URI only in {@code mcp.resource.uri}), kind CLIENT
 * or SERVER, {@code mcp.*}, {@code jsonrpc.*}, {@code gen_ai.tool.name} and {@code
 * gen_ai.operation.name=execute_tool} for {@code tools/call}, {@code error.type} from a JSON-RPC error code or
 * a tool result with {@code isError}; {@code mcp.client.operation.duration} / {@code mcp.server.operation.duration}. A
 * client span's parent is the current span on the calling thread (the agent's, else the application's); a server
 * span continues the trace context the request carried, else (none) has the current span as parent. Spans start
 * when the call begins, on the caller's thread (cheap: no body is parsed), and end when the hook says so. Tool
 * arguments and results only with content capture, redacted and cut by the {@link ContentPolicy}; a tool's error text
 * is the span status message only then, any other error message is cut at {@value #MAX_STATUS_CHARS} characters.
 * Calls still open at exit end as {@code unfinished} ({@link #endAtExit()}).
 */
public final class McpTelemetry implements RpcCallFactory {
  static final String SYSTEM = "mcp";
  static final String TOOLS_CALL = "tools/call";
  /** The longest span status message: an error's message is the peer's or an exception's text, never trusted. */
  static final int MAX_STATUS_CHARS = 256;
  /** How many calls are remembered as open, to be ended at exit (beyond, a call still ends normally). */
  static final int MAX_OPEN = 4096;
  /** {@code error.type} of a call still open when the JVM exits. */
  static final String UNFINISHED = "unfinished";
  private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<Map<String, String>>() {
    @Override
    public Iterable<String> keys(Map<String, String> carrier) {
      return carrier.keySet();
    }

    @Override
    public String get(Map<String, String> carrier, String key) {
      return carrier == null ? null : carrier.get(key);
    }
  };

  private final Tracer tracer;
  private final ContentPolicy content;
  private final DoubleHistogram clientDuration;
  private final DoubleHistogram serverDuration;
  private final Set<Call> open = ConcurrentHashMap.newKeySet();

  /** @param meter null: no metrics */
  public McpTelemetry(Tracer tracer, Meter meter, ContentPolicy content) {
    this.tracer = tracer;
    this.content = content == null ? ContentPolicy.off() : content;
    if (meter == null) {
      clientDuration = null;
      serverDuration = null;
    } else {
      clientDuration = meter.histogramBuilder("mcp.client.operation.duration").setUnit("s")
          .setDescription("The duration of the MCP request or notification as observed on the sender from the time it "
              + "was sent until the response or ack is received.")
          .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS).build();
      serverDuration = meter.histogramBuilder("mcp.server.operation.duration").setUnit("s")
          .setDescription("MCP request or notification duration as observed on the receiver from the time it was "
              + "received until the result or ack is sent.")
          .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS).build();
    }
  }

  @Override
  public RpcCall begin(RpcRequest request) {
    if (!SYSTEM.equals(request.system) || request.method == null) return null;
    Context parent = request.server ? serverParent(request.incomingContext) : localParent();
    long start = System.nanoTime();
    SpanBuilder builder = tracer.spanBuilder(spanName(request))
        .setSpanKind(request.server ? SpanKind.SERVER : SpanKind.CLIENT)
        .setParent(parent);
    Attributes common = commonAttributes(request);
    setRequestAttributes(builder, request, common);
    Call call = new Call(request, builder.startSpan(), common, start);
    if (open.size() < MAX_OPEN) open.add(call);
    return call;
  }

  /**
   * The JVM is exiting: the calls still open end now with {@code error.type=unfinished}, so that their spans are
   * recorded before the exporter's last flush.
   */
  public void endAtExit() {
    for (Call call : open.toArray(new Call[0])) call.end(unfinished());
  }

  /** The outcome of a call still open at exit. */
  static RpcResult unfinished() {
    RpcResult r = new RpcResult();
    r.errorType = UNFINISHED;
    r.errorMessage = "JVM exit";
    return r;
  }

  /** How many calls are open (for tests). */
  int openCalls() {
    return open.size();
  }

  /**
   * Records a call that began before this telemetry existed (while the agent was starting): its span with the ids,
   * parent and start it was given then ({@link McpCalls}), built now.
   */
  void record(McpCalls.Deferred call) {
    try {
      RpcRequest request = call.request;
      SpanBuilder builder = tracer.spanBuilder(spanName(request))
          .setSpanKind(request.server ? SpanKind.SERVER : SpanKind.CLIENT)
          .setParent(call.parent)
          .setStartTimestamp(call.startEpochNanos, TimeUnit.NANOSECONDS);
      Attributes common = commonAttributes(request);
      setRequestAttributes(builder, request, common);
      Span span;
      PresetIds.preset(call.traceId, call.spanId);
      try {
        span = builder.startSpan();
      } finally {
        PresetIds.clear();
      }
      if (call.argumentsJson != null && capturesContent(request)) {
        span.setAttribute(TOOL_CALL_ARGUMENTS, content.apply(call.argumentsJson));
      }
      finish(span, request, common, call.result, call.durationNanos, call.startEpochNanos + call.durationNanos);
    } catch (Throwable ignored) {
      // telemetry trouble is never the application's
    }
  }

  private static void setRequestAttributes(SpanBuilder builder, RpcRequest request, Attributes common) {
    builder.setAllAttributes(common);
    putIfSet(builder, JSONRPC_REQUEST_ID, request.requestId);
    builder.setAttribute(JSONRPC_PROTOCOL_VERSION, "2.0");
    putIfSet(builder, SESSION_ID, request.sessionId);
    if ("resources/read".equals(request.method) || "resources/subscribe".equals(request.method)
        || "resources/unsubscribe".equals(request.method)) {
      putIfSet(builder, RESOURCE_URI, request.target);
    }
  }

  boolean capturesContent(RpcRequest request) {
    return content.capture() && TOOLS_CALL.equals(request.method);
  }

  /** See {@link RpcCall#contentLimit()}: what {@link ContentPolicy#apply} keeps at most. */
  static int contentLimit(ContentPolicy content) {
    return content.maxChars() > 0 ? content.maxAttributeChars() : 0;
  }

  /**
   * Ends a call's span with its outcome and records its duration.
   *
   * @param endEpochNanos the end, or -1 for now
   */
  private void finish(Span span, RpcRequest request, Attributes common, RpcResult result, long durationNanos,
      long endEpochNanos) {
    RpcResult r = result == null ? new RpcResult() : result;
    AttributesBuilder metric = common.toBuilder();
    if (r.protocolVersion != null && request.protocolVersion == null) {
      span.setAttribute(PROTOCOL_VERSION, r.protocolVersion);
      metric.put(PROTOCOL_VERSION, r.protocolVersion);
    }
    if (r.requestId != null && request.requestId == null) span.setAttribute(JSONRPC_REQUEST_ID, r.requestId);
    if (r.sessionId != null && request.sessionId == null) span.setAttribute(SESSION_ID, r.sessionId);
    if (r.errorCode != null) {
      span.setAttribute(RPC_RESPONSE_STATUS_CODE, r.errorCode);
      metric.put(RPC_RESPONSE_STATUS_CODE, r.errorCode);
    }
    if (r.resultJson != null && capturesContent(request)) {
      span.setAttribute(TOOL_CALL_RESULT, content.apply(r.resultJson));
    }
    if (r.errorType != null) {
      span.setAttribute(GenAiAttributes.ERROR_TYPE, r.errorType);
      metric.put(GenAiAttributes.ERROR_TYPE, r.errorType);
      span.setStatus(StatusCode.ERROR, statusMessage(request, r));
    }
    if (endEpochNanos < 0) span.end();
    else span.end(endEpochNanos, TimeUnit.NANOSECONDS);
    DoubleHistogram h = request.server ? serverDuration : clientDuration;
    if (h != null) h.record(durationNanos / 1e9, metric.build());
  }

  /**
   * The span status message of a failed call: none for a tool result with {@code isError} unless content is captured
   * (it is the tool's own output), then redacted by the content policy; any message cut at {@value
   * #MAX_STATUS_CHARS} characters.
   */
  String statusMessage(RpcRequest request, RpcResult r) {
    String message = r.errorMessage;
    if (message == null) return "";
    if (McpAttributes.TOOL_ERROR.equals(r.errorType) && !capturesContent(request)) return "";
    return cut(content.apply(message), MAX_STATUS_CHARS);
  }

  static String cut(String text, int max) {
    if (text == null || text.length() <= max) return text;
    int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
    return text.substring(0, end) + "...";
  }

  /** What both the span and the metric carry (low cardinality). */
  private static Attributes commonAttributes(RpcRequest request) {
    AttributesBuilder a = Attributes.builder().put(METHOD_NAME, request.method);
    if (TOOLS_CALL.equals(request.method)) {
      a.put(GenAiAttributes.OPERATION_NAME, "execute_tool");
      if (request.target != null) a.put(TOOL_NAME, request.target);
    } else if ("prompts/get".equals(request.method) && request.target != null) {
      a.put(PROMPT_NAME, request.target);
    }
    if (request.protocolVersion != null) a.put(PROTOCOL_VERSION, request.protocolVersion);
    if (request.transport != null) a.put(NETWORK_TRANSPORT, request.transport);
    if (request.serverAddress != null) {
      a.put(GenAiAttributes.SERVER_ADDRESS, request.serverAddress);
      if (request.serverPort > 0) a.put(GenAiAttributes.SERVER_PORT, (long) request.serverPort);
    }
    return a.build();
  }

  /** The agent's own current span if any, else the application's (as its {@link ParentProbe} tells). */
  static Context localParent() {
    Context current = Context.current();
    if (Span.fromContext(current).getSpanContext().isValid()) return current;
    ParentSpan probed = ParentProbes.current();
    if (probed == null) return current;
    SpanContext sc = ParentSpanContexts.of(probed);
    return sc.isValid() ? current.with(Span.wrap(sc)) : current;
  }

  /**
   * A server span's parent: the trace context the request carried in its {@code _meta}, else (none, or not a valid
   * one) the span current on the handling thread ({@link #localParent()}: the servlet's, the application's).
   */
  static Context serverParent(Map<String, String> carrier) {
    if (carrier != null && !carrier.isEmpty()) {
      Context remote = W3CTraceContextPropagator.getInstance().extract(Context.root(), carrier, GETTER);
      if (Span.fromContext(remote).getSpanContext().isValid()) return remote;
    }
    return localParent();
  }

  private static <T> void putIfSet(SpanBuilder span, AttributeKey<T> key, T value) {
    if (value != null) span.setAttribute(key, value);
  }

  private final class Call implements RpcCall {
    private final RpcRequest request;
    private final Span span;
    private final Attributes common;
    private final long startNanos;
    private final AtomicBoolean ended = new AtomicBoolean();

    Call(RpcRequest request, Span span, Attributes common, long startNanos) {
      this.request = request;
      this.span = span;
      this.common = common;
      this.startNanos = startNanos;
    }

    @Override
    public Map<String, String> propagation() {
      if (request.server || !span.getSpanContext().isValid()) return Collections.emptyMap();
      Map<String, String> carrier = new LinkedHashMap<>();
      W3CTraceContextPropagator.getInstance().inject(Context.root().with(span), carrier, Map::put);
      return carrier;
    }

    @Override
    public boolean capturesContent() {
      return McpTelemetry.this.capturesContent(request);
    }

    @Override
    public int contentLimit() {
      return McpTelemetry.contentLimit(content);
    }

    @Override
    public void arguments(String json) {
      try {
        if (capturesContent() && json != null) span.setAttribute(TOOL_CALL_ARGUMENTS, content.apply(json));
      } catch (Throwable ignored) {
        // content never breaks a call
      }
    }

    @Override
    public void end(RpcResult result) {
      if (!ended.compareAndSet(false, true)) return;
      open.remove(this);
      try {
        finish(span, request, common, result, System.nanoTime() - startNanos, -1);
      } catch (Throwable ignored) {
        // telemetry trouble is never the application's
      }
    }
  }

  /**
   * {@code {mcp.method.name} {target}} for {@code tools/call} and {@code prompts/get} (a tool or prompt name), else the
   * method alone: a resource URI is no part of the name (the conventions' advice: unbounded, may carry tokens), it is
   * {@code mcp.resource.uri}.
   */
  static String spanName(RpcRequest request) {
    boolean named = TOOLS_CALL.equals(request.method) || "prompts/get".equals(request.method);
    return !named || request.target == null ? request.method : request.method + " " + request.target;
  }
}
