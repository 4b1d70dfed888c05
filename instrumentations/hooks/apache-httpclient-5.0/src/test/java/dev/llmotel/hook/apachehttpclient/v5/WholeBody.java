package dev.llmotel.hook.apachehttpclient.v5;

import dev.llmotel.testkit.hook.HookClient.HookResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/** A response whose body the client delivered whole (a response handler, {@code SimpleResponseConsumer}). */
final class WholeBody implements HookResponse {
  private final int status;
  private final Function<String, String> headers;
  private final ByteArrayInputStream in;
  private final BufferedReader lines;

  WholeBody(int status, Function<String, String> headers, byte[] body) {
    this.status = status;
    this.headers = headers;
    this.in = new ByteArrayInputStream(body);
    this.lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }

  @Override public int status() { return status; }
  @Override public String header(String name) { return headers.apply(name); }
  @Override public byte[] readAll() { return in.readAllBytes(); }
  @Override public byte[] readExactly(int n) throws Exception { return in.readNBytes(n); }
  @Override public String readLine() throws Exception { return lines.readLine(); }
  @Override public void close() {}
}
