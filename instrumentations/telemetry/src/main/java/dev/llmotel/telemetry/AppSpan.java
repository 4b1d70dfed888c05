package dev.llmotel.telemetry;

import java.util.Map;

/** A span of the application's, recorded by the agent's SDK. See {@link AppTracing}. */
public interface AppSpan {
  int STATUS_UNSET = 0;
  int STATUS_OK = 1;
  int STATUS_ERROR = 2;

  String traceId();

  String spanId();

  byte traceFlags();

  boolean isRecording();

  /** value: String, Boolean, Long, Double, or a List of one of those. */
  void setAttribute(String key, Object value);

  void addEvent(String name, Map<String, Object> attributes, long epochNanos);

  void setStatus(int statusCode, String description);

  void recordException(Throwable error, Map<String, Object> attributes);

  void updateName(String name);

  /** @param epochNanos end time, or 0 for now */
  void end(long epochNanos);
}
