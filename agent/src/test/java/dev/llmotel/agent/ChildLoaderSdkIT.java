package dev.llmotel.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The {@code -javaagent} jar is on the system class path, so every application class loader can see its resources:
 * an application whose own SDK autoconfigure lives in a child loader must find no provider of ours there. (Before
 * the extension's service files moved to their own jar, the customizer file made the system loader define our
 * provider without the SDK's interface: {@code NoClassDefFoundError} out of the application's {@code ServiceLoader}.)
 */
class ChildLoaderSdkIT {
  static final File JAR = new File(System.getProperty("agent.jar", "target/llm-otel-agent.jar"));

  @Test
  void anApplicationsOwnAutoconfigureInAChildLoaderFindsNoProviderOfOurs() throws Exception {
    List<String> sdk = new ArrayList<>();
    for (String type : new String[] {"io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider",
        "io.opentelemetry.sdk.trace.SdkTracerProviderBuilder", "io.opentelemetry.sdk.common.CompletableResultCode",
        "io.opentelemetry.api.OpenTelemetry", "io.opentelemetry.context.Context"}) {
      String jar = Paths.get(Class.forName(type).getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
      if (!sdk.contains(jar)) sdk.add(jar);
    }
    List<String> command = new ArrayList<>(Arrays.asList(
        Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-javaagent:" + JAR.getAbsolutePath(),
        "-cp", Paths.get(ChildLoaderSdkApp.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString(),
        ChildLoaderSdkApp.class.getName()));
    command.addAll(sdk);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("OTEL_TRACES_EXPORTER", "none");
    pb.environment().put("OTEL_METRICS_EXPORTER", "none");
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    File out = File.createTempFile("child-loader-sdk", ".out");
    out.deleteOnExit();
    Process p = pb.redirectOutput(out).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the application did not exit within 60 s");
    String output = new String(Files.readAllBytes(out.toPath()), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), output);
    assertTrue(output.contains("providers: 0"), output);
  }
}
