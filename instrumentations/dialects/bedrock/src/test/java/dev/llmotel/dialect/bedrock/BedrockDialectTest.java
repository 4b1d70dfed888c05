package dev.llmotel.dialect.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.HeaderLookup;
import org.junit.jupiter.api.Test;

class BedrockDialectTest {
  private static DialectSession open(String method, String host, String path) {
    return new BedrockDialect().open(new ExchangeRequest(method, "https", host, 443, path, null, HeaderLookup.NONE),
        DialectContext.defaults());
  }

  @Test
  void recognisesTheFourRoutesOnAnyHost() {
    for (String op : new String[] {"converse", "converse-stream", "invoke", "invoke-with-response-stream"}) {
      assertNotNull(open("POST", "bedrock-runtime.eu-west-1.amazonaws.com", "/model/amazon.nova-lite-v1:0/" + op));
      assertNotNull(open("POST", "localhost", "/proxy/model/m/" + op), op + " behind a prefix");
    }
    assertNull(open("GET", "localhost", "/model/m/converse"));
    assertNull(open("POST", "localhost", "/model/m/count-tokens"));
    assertNull(open("POST", "localhost", "/model//converse"));
    assertNull(open("POST", "localhost", "/v1/chat/completions"));
    assertNull(open("POST", "localhost", "/model/converse"));
  }

  @Test
  void modelIdsAreDecodedAndTheProviderIsBedrockUnlessTheHostSaysOtherwise() {
    DialectSession s = open("POST", "bedrock-runtime.us-east-1.amazonaws.com",
        "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aapplication-inference-profile%2Fabc123/converse");
    assertEquals("arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123",
        s.facts().request.model);
    assertEquals("aws.bedrock", s.facts().request.providerName);
  }

  @Test
  void percentDecoding() {
    assertEquals("a:b/c", BedrockDialect.decode("a%3Ab%2fc"));
    assertEquals("a+b%zz%4", BedrockDialect.decode("a+b%zz%4"));
    assertEquals("\u00e9", BedrockDialect.decode("%C3%A9"));
  }

  @Test
  void anthropicModelsAreKnownByTheirIds() {
    assertEquals(true, BedrockSession.isAnthropicModel("anthropic.claude-3-haiku-20240307-v1:0"));
    assertEquals(true, BedrockSession.isAnthropicModel("us.anthropic.claude-sonnet-4-20250514-v1:0"));
    assertEquals(true, BedrockSession.isAnthropicModel(
        "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"));
    assertEquals(false, BedrockSession.isAnthropicModel("meta.llama3-8b-instruct-v1:0"));
  }

  @Test
  void errorTypesAreTheSdkExceptionNames() {
    assertEquals("ThrottlingException",
        BedrockFields.errorType("ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/"));
    assertEquals("ThrottlingException", BedrockFields.errorType("throttlingException"));
    assertEquals("ValidationException", BedrockFields.errorType("com.amazon.coral.validate#ValidationException"));
    assertNull(BedrockFields.errorType(""));
    assertNull(BedrockFields.errorType(null));
  }

  @Test
  void stopReasonsBecomeTheConventionsFinishReasons() {
    assertEquals("stop", BedrockFields.finishReason("end_turn"));
    assertEquals("stop", BedrockFields.finishReason("stop_sequence"));
    assertEquals("length", BedrockFields.finishReason("max_tokens"));
    assertEquals("tool_call", BedrockFields.finishReason("tool_use"));
    assertEquals("content_filter", BedrockFields.finishReason("guardrail_intervened"));
    assertEquals("content_filter", BedrockFields.finishReason("content_filtered"));
    assertEquals("model_context_window_exceeded", BedrockFields.finishReason("model_context_window_exceeded"));
  }
}
