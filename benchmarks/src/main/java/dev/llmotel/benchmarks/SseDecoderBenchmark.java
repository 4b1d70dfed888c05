package dev.llmotel.benchmarks;

import dev.llmotel.wire.SseDecoder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link SseDecoder} alone over a realistic OpenAI chunk stream, fed in 8 KiB reads. One operation decodes the whole
 * stream; MB/s = ops/s x {@code streamBytes} / 1e6 (the size is printed at setup).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SseDecoderBenchmark {
  static final int READ_SIZE = 8 * 1024;

  @Param({"4194304"})
  int streamBytes;

  byte[] stream;

  @Setup(Level.Trial)
  public void setUp() {
    stream = OpenAiPayloads.chunkStream(streamBytes);
    System.out.println("\nSSE stream: " + stream.length + " bytes");
  }

  @Benchmark
  public long decode(Blackhole blackhole) {
    long[] seen = new long[1];
    SseDecoder decoder = new SseDecoder(1 << 20, (event, data, offset, length) -> {
      seen[0] += length;
      blackhole.consume(data);
    });
    byte[] s = stream;
    for (int pos = 0; pos < s.length; pos += READ_SIZE) decoder.feed(s, pos, Math.min(READ_SIZE, s.length - pos));
    decoder.end();
    return seen[0];
  }
}
