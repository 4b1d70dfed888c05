package dev.llmotel.hook.javahttpclient;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.CallHook;
import dev.llmotel.testkit.hook.AdviceChecks;
import net.bytebuddy.matcher.ElementMatcher;
import dev.llmotel.testkit.hook.WovenHook;
import java.util.Collections;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import java.util.Set;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.MethodList;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JdkHttpSendAdviceTest {
  private CallHook saved;

  @BeforeEach
  void save() {
    saved = Bridges.callHook(JavaHttpClientInstrumentation.SEND_SLOT);
    AdviceHolder.RECEIVED.set(null);
  }

  @AfterEach
  void restore() {
    Bridges.register(JavaHttpClientInstrumentation.SEND_SLOT, saved);
  }

  @Test
  void adviceCodeReferencesOnlyJdkAndBridgeTypes() {
    AdviceChecks.assertOnlyJdkAndBridgeTypes(List.of("javax/"), JdkHttpSendAdvice.class);
    Set<String> referenced = AdviceChecks.codeReferences(AdviceChecks.classBytes(JdkHttpSendAdvice.class));
    assertTrue(referenced.contains("dev/llmotel/bootstrap/CallHook"), referenced.toString());
  }

  @Test
  void theScanSeesForeignReferences() {
    // guards the scan itself: the hook class does reference agent types
    Set<String> referenced = AdviceChecks.codeReferences(AdviceChecks.classBytes(JdkHttpSendHook.class));
    assertTrue(referenced.contains("dev/llmotel/exchange/Exchanges"), referenced.toString());
  }

  @Test
  void matcherFindsExactlyThePrivateFourArgumentSendAsyncOfTheRunningJdk() throws Exception {
    Class<?> impl = Class.forName(JavaHttpClientInstrumentation.CLIENT_IMPL);
    MethodList<MethodDescription.InDefinedShape> matched = TypeDescription.ForLoadedType.of(impl)
        .getDeclaredMethods().filter(JavaHttpClientInstrumentation.sendAsyncMethod());

    assertEquals(1, matched.size(), matched.toString());
    MethodDescription m = matched.getOnly();
    assertTrue(m.isPrivate());
    assertEquals("(Ljava/net/http/HttpRequest;Ljava/net/http/HttpResponse$BodyHandler;"
        + "Ljava/net/http/HttpResponse$PushPromiseHandler;Ljava/util/concurrent/Executor;)"
        + "Ljava/util/concurrent/CompletableFuture;", m.getDescriptor());
  }

  @Test
  void weavesIntoTheRealHttpClientImplLikeTheInstaller() throws Exception {
    String name = JavaHttpClientInstrumentation.CLIENT_IMPL;
    byte[] original = ClassFileLocator.ForModule.ofBootLayer().locate(name).resolve();
    // woven as the installer weaves it (AdviceWeaver, through the test kit)
    byte[] woven = WovenHook.weave(null, name, original,
        Collections.<ElementMatcher<? super MethodDescription>, String>singletonMap(
            JavaHttpClientInstrumentation.sendAsyncMethod(),
            new JavaHttpClientInstrumentation().advice().values().iterator().next()));

    List<String> bridgeReaders = AdviceChecks.methodsCalling(woven, "dev/llmotel/bootstrap/Bridges", "callHook");
    assertEquals(1, bridgeReaders.size(), bridgeReaders.toString());
    assertTrue(bridgeReaders.get(0).startsWith("sendAsync(Ljava/net/http/HttpRequest;"
        + "Ljava/net/http/HttpResponse$BodyHandler;Ljava/net/http/HttpResponse$PushPromiseHandler;"
        + "Ljava/util/concurrent/Executor;)"), bridgeReaders.toString());
  }

  // --- the advice woven into a class with the same private method, run for real ---

  private Object wovenClient;
  private Method sendAsync;
  private Object result;

  private void weaveFake() throws Exception {
    Class<?> woven = new ByteBuddy().redefine(FakeHttpClientImpl.class)
        .visit(Advice.to(JdkHttpSendAdvice.class).on(JavaHttpClientInstrumentation.sendAsyncMethod()))
        .make().load(getClass().getClassLoader(), ClassLoadingStrategy.Default.CHILD_FIRST).getLoaded();
    assertTrue(woven != FakeHttpClientImpl.class);
    wovenClient = woven.getConstructor().newInstance();
    sendAsync = woven.getMethod("sendAsync", HttpRequest.class, HttpResponse.BodyHandler.class);
    result = woven.getField("RESULT").get(null);
  }

  private static HttpRequest request(String... headers) {
    return HttpRequest.newBuilder(URI.create("http://localhost/v1/chat/completions"))
        .headers(headers.length == 0 ? new String[] {"x-a", "1"} : headers).build();
  }

  @Test
  void replacedArgumentsReachTheMethodAndExitGetsTokenAndFuture() throws Exception {
    weaveFake();
    HttpRequest original = request();
    HttpRequest replacement = request("x-replaced", "1");
    HttpResponse.BodyHandler<String> handler = BodyHandlers.ofString();
    HttpResponse.BodyHandler<String> replacementHandler = BodyHandlers.ofString();
    RecordingHook hook = new RecordingHook() {
      @Override
      public Object enter(Object self, Object[] args) {
        super.enter(self, args);
        args[0] = replacement;
        args[1] = replacementHandler;
        return "token";
      }
    };
    Bridges.register(JavaHttpClientInstrumentation.SEND_SLOT, hook);

    Object returned = sendAsync.invoke(wovenClient, original, handler);

    assertSame(result, returned);
    assertSame(wovenClient, hook.self);
    assertArrayEquals(new Object[] {original, handler}, hook.enterArgs);
    assertArrayEquals(new Object[] {replacement, replacementHandler}, AdviceHolder.RECEIVED.get());
    assertEquals("token", hook.token);
    assertSame(result, hook.result);
    assertNull(hook.thrown);
  }

  @Test
  void nullTokenMeansArgumentsStayAndNoExit() throws Exception {
    weaveFake();
    HttpRequest original = request();
    HttpResponse.BodyHandler<String> handler = BodyHandlers.ofString();
    RecordingHook hook = new RecordingHook() {
      @Override
      public Object enter(Object self, Object[] args) {
        super.enter(self, args);
        args[0] = request("x-replaced", "1");
        return null;
      }
    };
    Bridges.register(JavaHttpClientInstrumentation.SEND_SLOT, hook);

    sendAsync.invoke(wovenClient, original, handler);

    assertArrayEquals(new Object[] {original, handler}, AdviceHolder.RECEIVED.get());
    assertEquals(0, hook.exits);
  }

  @Test
  void thrownExceptionReachesExitAndTheAppUnchanged() throws Exception {
    weaveFake();
    RecordingHook hook = new RecordingHook();
    Bridges.register(JavaHttpClientInstrumentation.SEND_SLOT, hook);

    InvocationTargetException e = assertThrows(InvocationTargetException.class,
        () -> sendAsync.invoke(wovenClient, request("x-throw", "1"), BodyHandlers.ofString()));

    assertTrue(e.getCause() instanceof IllegalArgumentException);
    assertSame(e.getCause(), hook.thrown);
    assertNull(hook.result);
  }

  @Test
  void aHookThatThrowsOrIsMissingChangesNothing() throws Exception {
    weaveFake();
    HttpRequest original = request();
    HttpResponse.BodyHandler<String> handler = BodyHandlers.ofString();

    Bridges.register(JavaHttpClientInstrumentation.SEND_SLOT, new CallHook() {
      @Override
      public Object enter(Object self, Object[] args) {
        args[0] = null;
        throw new IllegalStateException("enter");
      }

      @Override
      public void exit(Object token, Object result, Throwable thrown) {
        throw new IllegalStateException("exit");
      }
    });
    assertSame(result, sendAsync.invoke(wovenClient, original, handler));
    assertArrayEquals(new Object[] {original, handler}, AdviceHolder.RECEIVED.get());

    Bridges.register(JavaHttpClientInstrumentation.SEND_SLOT, new RecordingHook() {
      @Override
      public void exit(Object token, Object result, Throwable thrown) {
        throw new IllegalStateException("exit");
      }
    });
    assertSame(result, sendAsync.invoke(wovenClient, original, handler));

    Bridges.register(JavaHttpClientInstrumentation.SEND_SLOT, null);
    AdviceHolder.RECEIVED.set(null);
    assertSame(result, sendAsync.invoke(wovenClient, original, handler));
    assertArrayEquals(new Object[] {original, handler}, AdviceHolder.RECEIVED.get());
  }

  /** Records enter and exit; returns a token so exit runs. */
  static class RecordingHook implements CallHook {
    volatile Object self;
    volatile Object[] enterArgs;
    volatile Object token;
    volatile Object result;
    volatile Throwable thrown;
    volatile int exits;

    @Override
    public Object enter(Object self, Object[] args) {
      this.self = self;
      this.enterArgs = args.clone();
      return "recorded";
    }

    @Override
    public void exit(Object token, Object result, Throwable thrown) {
      exits++;
      this.token = token;
      this.result = result;
      this.thrown = thrown;
    }
  }
}
