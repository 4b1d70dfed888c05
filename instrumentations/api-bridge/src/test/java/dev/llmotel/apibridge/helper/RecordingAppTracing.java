package dev.llmotel.apibridge.helper;

import dev.llmotel.telemetry.AppSpan;
import dev.llmotel.telemetry.AppTracing;
import dev.llmotel.telemetry.ParentSpan;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

/** An {@link AppTracing} that records every call, standing in for the agent's SDK. */
public final class RecordingAppTracing implements AppTracing {
  public final List<Recorded> spans = new CopyOnWriteArrayList<>();
  public volatile boolean failStart;
  public volatile boolean failSpanCalls;
  public volatile boolean recording = true;

  @Override
  public AppSpan startSpan(String scopeName, String scopeVersion, String spanName, int kind, ParentSpan parent,
      long startEpochNanos) {
    if (failStart) throw new IllegalStateException("start failed");
    Recorded span = new Recorded(this, scopeName, scopeVersion, spanName, kind, parent, startEpochNanos);
    spans.add(span);
    return span;
  }

  public Recorded named(String name) {
    for (Recorded r : spans) {
      if (r.name.equals(name)) return r;
    }
    throw new AssertionError("no span " + name + " in " + spans);
  }

  /** One started span and everything done to it. */
  public static final class Recorded implements AppSpan {
    private final RecordingAppTracing owner;
    public final String scopeName;
    public final String scopeVersion;
    public final String initialName;
    public final int kind;
    public final ParentSpan parent;
    public final long startEpochNanos;
    public final String traceId;
    public final String spanId = hex(16);
    public final byte flags;
    public final Map<String, Object> attributes = Collections.synchronizedMap(new LinkedHashMap<>());
    public final List<Object[]> events = new CopyOnWriteArrayList<>();
    public final List<Object[]> exceptions = new CopyOnWriteArrayList<>();
    public volatile String name;
    public volatile int status = -1;
    public volatile String statusDescription;
    public volatile int endCalls;
    public volatile long endEpochNanos = -1;

    Recorded(RecordingAppTracing owner, String scopeName, String scopeVersion, String name, int kind,
        ParentSpan parent, long startEpochNanos) {
      this.owner = owner;
      this.scopeName = scopeName;
      this.scopeVersion = scopeVersion;
      this.initialName = name;
      this.name = name;
      this.kind = kind;
      this.parent = parent;
      this.startEpochNanos = startEpochNanos;
      this.traceId = parent == null ? hex(32) : parent.traceId();
      this.flags = parent == null ? 1 : parent.traceFlags();
    }

    private void check() {
      if (owner.failSpanCalls) throw new IllegalStateException("span call failed");
    }

    @Override public String traceId() { check(); return traceId; }
    @Override public String spanId() { check(); return spanId; }
    @Override public byte traceFlags() { check(); return flags; }
    @Override public boolean isRecording() { check(); return owner.recording; }

    @Override
    public void setAttribute(String key, Object value) {
      check();
      attributes.put(key, value);
    }

    @Override
    public void addEvent(String name, Map<String, Object> attributes, long epochNanos) {
      check();
      events.add(new Object[] {name, new LinkedHashMap<>(attributes), epochNanos});
    }

    @Override
    public void setStatus(int statusCode, String description) {
      check();
      status = statusCode;
      statusDescription = description;
    }

    @Override
    public void recordException(Throwable error, Map<String, Object> attributes) {
      check();
      exceptions.add(new Object[] {error, new LinkedHashMap<>(attributes)});
    }

    @Override
    public void updateName(String name) {
      check();
      this.name = name;
    }

    @Override
    public void end(long epochNanos) {
      check();
      endCalls++;
      endEpochNanos = epochNanos;
    }

    @Override
    public String toString() {
      return name + "{" + traceId + "/" + spanId + " parent=" + (parent == null ? null : parent.spanId()) + "}";
    }
  }

  static String hex(int chars) {
    StringBuilder b = new StringBuilder(chars);
    ThreadLocalRandom r = ThreadLocalRandom.current();
    while (b.length() < chars) b.append(Character.forDigit(r.nextInt(16), 16));
    if (b.toString().chars().allMatch(c -> c == '0')) b.setCharAt(0, '1');
    return b.toString();
  }
}
