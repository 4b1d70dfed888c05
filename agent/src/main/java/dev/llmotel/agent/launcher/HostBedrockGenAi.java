package dev.llmotel.agent.launcher;

import java.util.Locale;
import java.util.function.Function;

/**
 * Whether the OpenTelemetry Java agent this jar extends records Bedrock Runtime calls as GenAI spans itself: its AWS
 * SDK v2 instrumentation module {@code aws-sdk-2.2-bedrock-runtime} (names {@code aws-sdk}, {@code aws-sdk-2.2},
 * {@code aws-sdk-2.2-bedrock-runtime}; with {@code otel.instrumentation.common.v3-preview}: {@code aws-sdk-2.2},
 * {@code aws-sdk-bedrock-runtime}, {@code aws-sdk}). That agent asks {@code otel.instrumentation.<name>.enabled} for
 * each name in that order, the first one set decides, else {@code otel.instrumentation.common.default-enabled}
 * (default {@code true}); this class answers the same way from the same settings. That module only adds Bedrock's
 * attributes: the span itself is made by the AWS SDK module {@code aws-sdk-2.2-core} (names {@code aws-sdk},
 * {@code aws-sdk-2.2}, {@code aws-sdk-2.2-core}; v3 preview: {@code aws-sdk-2.2}, {@code aws-sdk}), so both must be
 * on. A host older than the Bedrock module (it came with 2.14.0) has no such span: {@link #inHost} tells.
 */
final class HostBedrockGenAi {
  private static final String[] NAMES = {"aws-sdk", "aws-sdk-2.2", "aws-sdk-2.2-bedrock-runtime"};
  private static final String[] V3_NAMES = {"aws-sdk-2.2", "aws-sdk-bedrock-runtime", "aws-sdk"};
  private static final String[] CORE_NAMES = {"aws-sdk", "aws-sdk-2.2", "aws-sdk-2.2-core"};
  private static final String[] CORE_V3_NAMES = {"aws-sdk-2.2", "aws-sdk"};
  /** The host's Bedrock module, as the official agent's jar stores it (its {@code -javaagent} jar is on the class path). */
  static final String HOST_MODULE =
      "inst/io/opentelemetry/javaagent/instrumentation/awssdk/v2_2/BedrockRuntimeInstrumentationModule.classdata";

  private HostBedrockGenAi() {}

  /** @param setting a setting's value by its property name, or null when it is not set */
  static boolean on(Function<String, String> setting) {
    boolean v3 = bool(setting.apply("otel.instrumentation.common.v3-preview"), false);
    return enabled(setting, v3 ? V3_NAMES : NAMES) && enabled(setting, v3 ? CORE_V3_NAMES : CORE_NAMES);
  }

  /** Whether the host agent has the Bedrock module at all (false for hosts before 2.14.0, or when it cannot tell). */
  static boolean inHost() {
    try {
      return ClassLoader.getSystemResource(HOST_MODULE) != null;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static boolean enabled(Function<String, String> setting, String[] names) {
    for (String name : names) {
      String value = setting.apply("otel.instrumentation." + name + ".enabled");
      if (value != null && !value.trim().isEmpty()) return bool(value, true);
    }
    return bool(setting.apply("otel.instrumentation.common.default-enabled"), true);
  }

  /** The settings as system properties, then environment variables ({@code OTEL_INSTRUMENTATION_AWS_SDK_ENABLED}). */
  static String fromSystem(String property) {
    String value = System.getProperty(property);
    if (value != null) return value;
    return System.getenv(property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
  }

  private static boolean bool(String value, boolean absent) {
    return value == null || value.trim().isEmpty() ? absent : Boolean.parseBoolean(value.trim());
  }
}
