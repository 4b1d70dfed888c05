package dev.llmotel.telemetry;

/** Told about every finished LLM call, on the thread that finished it. Must be quick and must not throw. */
public interface CallListener {
  void onCall(CallRecord call);
}
