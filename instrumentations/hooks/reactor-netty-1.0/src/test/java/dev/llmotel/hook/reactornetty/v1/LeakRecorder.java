package dev.llmotel.hook.reactornetty.v1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Netty's leak detector, made to record its reports (run with {@code -Dio.netty.leakDetection.level=paranoid}: every
 * buffer is tracked). A buffer released too often fails where it happens; one never released (or retained and
 * forgotten) is reported once it is garbage-collected, which {@link #leaks()} provokes.
 */
final class LeakRecorder extends ResourceLeakDetectorFactory {
  /** A hint the recorder's own self-test leaves on the buffer it leaks on purpose; such reports are not counted. */
  static final String DELIBERATE = "llmotel-deliberate-leak";
  private static final List<String> REPORTS = Collections.synchronizedList(new ArrayList<>());
  private static volatile boolean byteBufTracked;

  static void install() {
    ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new LeakRecorder());
  }

  /** True when the buffers' detector is this recorder's (the factory was installed before Netty made one). */
  static boolean tracksByteBufs() {
    return byteBufTracked;
  }

  @Override
  public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
    if (ByteBuf.class.isAssignableFrom(resource)) byteBufTracked = true;
    return new Recording<>(resource, samplingInterval);
  }

  /** Collects garbage and allocates until Netty has reported what leaked; returns every report (deliberate ones too). */
  static List<String> reports() throws InterruptedException {
    for (int round = 0; round < 5; round++) {
      System.gc();
      Thread.sleep(40);
      for (int i = 0; i < 50; i++) {
        PooledByteBufAllocator.DEFAULT.directBuffer(16).release();
        UnpooledByteBufAllocator.DEFAULT.heapBuffer(16).release();
      }
    }
    synchronized (REPORTS) {
      return new ArrayList<>(REPORTS);
    }
  }

  /** The reports of real leaks: all but the self-test's deliberate one. */
  static List<String> leaks() throws InterruptedException {
    List<String> leaks = new ArrayList<>();
    for (String report : reports()) if (!report.contains(DELIBERATE)) leaks.add(report);
    return leaks;
  }

  private static final class Recording<T> extends ResourceLeakDetector<T> {
    Recording(Class<?> resourceType, int samplingInterval) {
      super(resourceType, samplingInterval);
    }

    @Override
    protected boolean needReport() {
      return true;
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
      REPORTS.add(resourceType + " leaked:" + records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
      REPORTS.add(resourceType + " leaked (untraced)");
    }
  }
}
