package dev.llmotel.it;

import dev.llmotel.it.jvm.Jdk;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** Each app runs once per JDK (per mode); every test of it reads that one run. */
final class AppRuns {
  private static final Map<String, AppRun> RUNS = new ConcurrentHashMap<>();

  private AppRuns() {}

  static AppRun get(String key, Jdk jdk, Supplier<AppRun> launch) {
    return RUNS.computeIfAbsent(key + " on " + jdk, k -> launch.get());
  }
}
