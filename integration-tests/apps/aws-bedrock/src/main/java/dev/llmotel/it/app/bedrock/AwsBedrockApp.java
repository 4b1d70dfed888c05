package dev.llmotel.it.app.bedrock;

import static java.util.Collections.singletonList;
import static java.util.Collections.singletonMap;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/**
 * Sample app on the AWS SDK for Java v2 Bedrock Runtime client. Argument: the simulator's base URL (the endpoint
 * override). Static fake credentials, region {@code us-east-1}, no retries. Runs its scenarios in a fixed order and
 * prints only deterministic lines (content, stop reasons, token counts as the SDK reports them, exception class and
 * status), so its stdout must be identical with and without the agent.
 *
 * <p>The synchronous {@link BedrockRuntimeClient} uses the SDK's Apache HttpClient 4 transport
 * ({@link ApacheHttpClient}), which the agent hooks: Converse, a tool-use Converse, InvokeModel with an Anthropic
 * Messages body and a throttled Converse (429 {@code ThrottlingException}) each give one LLM span, and every request
 * is SigV4-signed before the agent adds its {@code traceparent}.
 *
 * <p>The last scenario, ConverseStream, goes through {@link BedrockRuntimeAsyncClient} on the SDK's Netty transport
 * ({@link NettyNioAsyncHttpClient}), which the agent does not hook (yet): it must work unchanged with the agent (the
 * same output) and produces <em>no</em> LLM span and no {@code traceparent}.
 */
public final class AwsBedrockApp {
  static final String MODEL = "anthropic.claude-3-5-sonnet-20241022-v2:0";
  static final String THROTTLED = "sim-throttled";
  static final String ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
  static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

  private AwsBedrockApp() {}

  public static void main(String[] args) {
    URI endpoint = URI.create(args[0]);
    StaticCredentialsProvider credentials =
        StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_KEY));
    ClientOverrideConfiguration noRetries = ClientOverrideConfiguration.builder()
        .retryPolicy(RetryPolicy.builder(RetryMode.STANDARD).numRetries(0).build())
        .build();
    try (BedrockRuntimeClient client = BedrockRuntimeClient.builder()
        .region(Region.US_EAST_1)
        .credentialsProvider(credentials)
        .endpointOverride(endpoint)
        .httpClientBuilder(ApacheHttpClient.builder())
        .overrideConfiguration(noRetries)
        .build()) {
      run("converse", () -> converse(client));
      run("tool-use", () -> toolUse(client));
      run("invoke-model", () -> invokeModel(client));
      run("throttled", () -> throttled(client));
    }
    try (BedrockRuntimeAsyncClient async = BedrockRuntimeAsyncClient.builder()
        .region(Region.US_EAST_1)
        .credentialsProvider(credentials)
        .endpointOverride(endpoint)
        .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1))
        .overrideConfiguration(noRetries)
        .build()) {
      run("converse-stream (async, Netty)", () -> converseStream(async));
    }
    System.out.println("done");
  }

  private static ConverseRequest.Builder converseRequest(String model) {
    return ConverseRequest.builder()
        .modelId(model)
        .system(SystemContentBlock.fromText("You are a test."))
        .messages(userMessage("Name the primary colours."))
        .inferenceConfig(c -> c.maxTokens(256));
  }

  private static Message userMessage(String text) {
    return Message.builder().role(ConversationRole.USER).content(ContentBlock.fromText(text)).build();
  }

  private static void converse(BedrockRuntimeClient client) {
    printConverse(client.converse(converseRequest(MODEL).build()));
  }

  private static void toolUse(BedrockRuntimeClient client) {
    Map<String, Document> fields = new LinkedHashMap<>();
    fields.put("type", Document.fromString("object"));
    fields.put("properties", Document.fromMap(singletonMap("city",
        Document.fromMap(singletonMap("type", Document.fromString("string"))))));
    fields.put("required", Document.fromList(singletonList(Document.fromString("city"))));
    Document schema = Document.fromMap(fields);
    Tool weather = Tool.fromToolSpec(ToolSpecification.builder()
        .name("get_weather")
        .description("Weather for a city")
        .inputSchema(ToolInputSchema.fromJson(schema))
        .build());
    printConverse(client.converse(converseRequest(MODEL)
        .messages(userMessage("What is the weather in Paris?"))
        .toolConfig(ToolConfiguration.builder().tools(weather).build())
        .build()));
  }

  private static void printConverse(ConverseResponse response) {
    for (ContentBlock block : response.output().message().content()) {
      if (block.text() != null) System.out.println("text: " + block.text());
      if (block.toolUse() != null) {
        System.out.println("tool_use: " + block.toolUse().toolUseId() + " " + block.toolUse().name() + " "
            + block.toolUse().input());
      }
    }
    System.out.println("stop: " + response.stopReasonAsString());
    printUsage(response.usage());
  }

  private static void printUsage(TokenUsage usage) {
    System.out.println("usage: input=" + usage.inputTokens() + " output=" + usage.outputTokens()
        + " total=" + usage.totalTokens() + " cache_read=" + usage.cacheReadInputTokens()
        + " cache_write=" + usage.cacheWriteInputTokens());
  }

  private static void invokeModel(BedrockRuntimeClient client) {
    String body = "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":256,\"system\":\"You are a test.\","
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}";
    InvokeModelResponse response = client.invokeModel(b -> b
        .modelId(MODEL)
        .contentType("application/json")
        .accept("application/json")
        .body(SdkBytes.fromUtf8String(body)));
    System.out.println("content-type: " + response.contentType());
    System.out.println("body: " + response.body().asUtf8String());
  }

  private static void throttled(BedrockRuntimeClient client) {
    try {
      client.converse(converseRequest(THROTTLED).build());
      System.out.println("no error");
    } catch (AwsServiceException e) {
      System.out.println("error: " + e.getClass().getSimpleName() + " status=" + e.statusCode()
          + " code=" + e.awsErrorDetails().errorCode() + " message=" + e.awsErrorDetails().errorMessage());
    }
  }

  private static void converseStream(BedrockRuntimeAsyncClient client) {
    StringBuilder text = new StringBuilder();
    StringBuilder events = new StringBuilder();
    ConverseStreamRequest request = ConverseStreamRequest.builder()
        .modelId(MODEL)
        .system(SystemContentBlock.fromText("You are a test."))
        .messages(userMessage("Name the primary colours."))
        .inferenceConfig(c -> c.maxTokens(256))
        .build();
    ConverseStreamResponseHandler handler = ConverseStreamResponseHandler.builder()
        .subscriber(ConverseStreamResponseHandler.Visitor.builder()
            .onMessageStart(e -> events.append("messageStart "))
            .onContentBlockDelta(e -> {
              events.append("contentBlockDelta ");
              text.append(e.delta().text());
            })
            .onContentBlockStop(e -> events.append("contentBlockStop "))
            .onMessageStop(e -> {
              events.append("messageStop ");
              System.out.println("stop: " + e.stopReasonAsString());
            })
            .onMetadata(e -> {
              events.append("metadata");
              printUsage(e.usage());
            })
            .build())
        .build();
    // join() with a 30 s bound, as Java 9's orTimeout(30, SECONDS).join() would (the app is compiled for Java 8)
    try {
      client.converseStream(request, handler).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new CompletionException(e.getCause());
    } catch (TimeoutException | InterruptedException e) {
      throw new CompletionException(e);
    }
    System.out.println("text: " + text);
    System.out.println("events: " + events);
  }

  /** Runs one scenario; an unexpected exception is printed as a deterministic line and the next scenario runs. */
  private static void run(String name, Runnable scenario) {
    System.out.println("== " + name);
    try {
      scenario.run();
    } catch (RuntimeException e) {
      System.out.println("exception: " + e.getClass().getName() + describeCause(e));
    }
  }

  private static String describeCause(Throwable e) {
    Throwable cause = e.getCause();
    return cause == null ? "" : " caused by " + cause.getClass().getName();
  }
}
