package dev.llmotel.config;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads the agent's exporter sends on. An HTTP call made on one of them is the agent's own export traffic:
 * the hooks of JDK clients (which the exporter uses, and which are woven for the whole JVM) leave it alone.
 */
public final class ExportThreads {
  private static final AtomicInteger COUNT = new AtomicInteger();

  private ExportThreads() {}

  /** Daemon threads named {@code llm-otel-agent-export-N}, recognised by {@link #isCurrent()}. */
  public static ThreadFactory factory() {
    return r -> {
      Thread t = new ExportThread(r, "llm-otel-agent-export-" + COUNT.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Whether the calling thread is one of the exporter's (one type check: cheap on every hooked call). */
  public static boolean isCurrent() {
    return Thread.currentThread() instanceof ExportThread;
  }

  private static final class ExportThread extends Thread {
    ExportThread(Runnable r, String name) {
      super(r, name);
    }
  }
}
