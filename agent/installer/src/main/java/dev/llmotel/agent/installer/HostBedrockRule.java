package dev.llmotel.agent.installer;

import dev.llmotel.dialect.Dialect;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.exchange.ExchangeRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * As an extension of the OpenTelemetry Java agent, one GenAI span per Bedrock call: when that agent records Bedrock
 * Runtime calls itself (its {@code aws-sdk-2.2-bedrock-runtime} instrumentation, on by default), its span of a call the
 * AWS SDK for Java v2 makes (2.25.63 or later, what that instrumentation supports) is the call's GenAI span, with its
 * {@code gen_ai.usage.*} and its {@code gen_ai.client.*} metrics, and the Bedrock dialect declines that request: no
 * span, no metrics, no cost of ours, the bytes pass untouched. Why that way round: the SDK's streaming operations
 * (ConverseStream, InvokeModelWithResponseStream) exist on its async client only, whose transports (Netty, CRT) this
 * agent does not hook; the host sees them all. Bedrock requests from anything else (an older SDK, a hand-made SigV4
 * client) stay ours. The user's switch {@code otel.instrumentation.aws-sdk-2.2-bedrock-runtime.enabled=false} turns
 * the host's off and ours back on.
 */
final class HostBedrockRule {
  static final String BEDROCK = "bedrock";
  private static final String AWS_SDK_V2 = "aws-sdk-java/2.";

  private HostBedrockRule() {}

  /** The dialects, the Bedrock one replaced by one that leaves the host's calls to the host. */
  static List<Dialect> apply(List<Dialect> dialects) {
    List<Dialect> out = new ArrayList<>(dialects.size());
    for (Dialect d : dialects) out.add(BEDROCK.equals(d.name()) ? new LeavesHostCalls(d) : d);
    return out;
  }

  /** Whether the host's AWS SDK v2 Bedrock instrumentation makes a GenAI span of this request itself. */
  static boolean hostRecords(ExchangeRequest request) {
    String agent = request.headers().get("User-Agent");
    if (agent == null) return false;
    int at = agent.indexOf(AWS_SDK_V2);
    if (at < 0) return false;
    int[] minorPatch = minorAndPatch(agent, at + AWS_SDK_V2.length());
    if (minorPatch == null) return false;
    return minorPatch[0] > 25 || minorPatch[0] == 25 && minorPatch[1] >= 63;
  }

  private static int[] minorAndPatch(String s, int from) {
    int dot = s.indexOf('.', from);
    if (dot < 0) return null;
    int end = dot + 1;
    while (end < s.length() && Character.isDigit(s.charAt(end))) end++;
    try {
      return new int[] {Integer.parseInt(s.substring(from, dot)), Integer.parseInt(s.substring(dot + 1, end))};
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static final class LeavesHostCalls implements Dialect {
    private final Dialect bedrock;

    LeavesHostCalls(Dialect bedrock) { this.bedrock = bedrock; }

    @Override
    public String name() { return bedrock.name(); }

    @Override
    public int precedence() { return bedrock.precedence(); }

    @Override
    public DialectSession open(ExchangeRequest request, DialectContext context) {
      return hostRecords(request) ? null : bedrock.open(request, context);
    }
  }
}
