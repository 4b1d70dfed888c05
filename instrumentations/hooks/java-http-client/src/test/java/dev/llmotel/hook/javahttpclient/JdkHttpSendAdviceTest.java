package dev.llmotel.hook.javahttpclient;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.CallHook;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.MethodList;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;
import net.bytebuddy.pool.TypePool;
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
  void adviceCodeReferencesOnlyJdkAndBridgeTypes() throws IOException {
    Set<String> referenced = codeReferences(classBytes(JdkHttpSendAdvice.class));

    assertTrue(referenced.contains("dev/llmotel/bootstrap/Bridges"), referenced.toString());
    assertTrue(referenced.contains("dev/llmotel/bootstrap/CallHook"), referenced.toString());
    List<String> foreign = new ArrayList<>();
    for (String name : referenced) {
      if (!name.startsWith("java/") && !name.startsWith("javax/") && !name.startsWith("dev/llmotel/bootstrap/")) {
        foreign.add(name);
      }
    }
    assertEquals(new ArrayList<String>(), foreign, "advice is inlined into java.net.http");
  }

  @Test
  void theScanSeesForeignReferences() throws IOException {
    // guards the scan itself: the hook class does reference agent types
    Set<String> referenced = codeReferences(classBytes(JdkHttpSendHook.class));
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
    ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(name, original),
        ClassFileLocator.ForClassLoader.ofSystemLoader(), ClassFileLocator.ForClassLoader.of(getClass().getClassLoader()));
    TypePool pool = TypePool.Default.WithLazyResolution.of(locator);
    TypeDescription advice = pool.describe(new JavaHttpClientInstrumentation().advice().values().iterator().next())
        .resolve();

    byte[] woven = new ByteBuddy().with(TypeValidation.DISABLED).decorate(pool.describe(name).resolve(), locator)
        .visit(Advice.to(advice, locator).on(JavaHttpClientInstrumentation.sendAsyncMethod()))
        .make().getBytes();

    List<String> bridgeReaders = methodsReading(woven, "dev/llmotel/bootstrap/Bridges", "callHook");
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

  // --- class-file scanning ---

  private static byte[] classBytes(Class<?> type) throws IOException {
    try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
      return in.readAllBytes();
    }
  }

  /**
   * Internal names of every type the class's methods use in code and signatures (what inlining copies), except the
   * constructor and annotations (ByteBuddy's {@code @Advice} annotations are read at weave time and never inlined).
   */
  static Set<String> codeReferences(byte[] classFile) {
    Set<String> names = new TreeSet<>();
    new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
      @Override
      public void visit(int version, int access, String name, String signature, String superName,
          String[] interfaces) {
        if (superName != null) names.add(superName);
        if (interfaces != null) names.addAll(java.util.Arrays.asList(interfaces));
      }

      @Override
      public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
        addDescriptor(names, descriptor);
        return null;
      }

      @Override
      public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
          String[] exceptions) {
        if (name.equals("<init>")) return null; // the constructor is never inlined
        addDescriptor(names, descriptor);
        if (exceptions != null) names.addAll(java.util.Arrays.asList(exceptions));
        return new MethodVisitor(Opcodes.ASM9) {
          @Override
          public void visitTypeInsn(int opcode, String type) {
            addType(names, Type.getObjectType(type));
          }

          @Override
          public void visitFieldInsn(int opcode, String owner, String fieldName, String fieldDescriptor) {
            addType(names, Type.getObjectType(owner));
            addDescriptor(names, fieldDescriptor);
          }

          @Override
          public void visitMethodInsn(int opcode, String owner, String methodName, String methodDescriptor,
              boolean isInterface) {
            addType(names, Type.getObjectType(owner));
            addDescriptor(names, methodDescriptor);
          }

          @Override
          public void visitInvokeDynamicInsn(String indyName, String indyDescriptor, Handle bootstrap,
              Object... args) {
            names.add(bootstrap.getOwner());
            addDescriptor(names, indyDescriptor);
            for (Object arg : args) {
              if (arg instanceof Handle) names.add(((Handle) arg).getOwner());
              if (arg instanceof Type) addType(names, (Type) arg);
            }
          }

          @Override
          public void visitLdcInsn(Object value) {
            if (value instanceof Type) addType(names, (Type) value);
          }

          @Override
          public void visitMultiANewArrayInsn(String descriptor, int dims) {
            addDescriptor(names, descriptor);
          }

          @Override
          public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
            if (type != null) names.add(type);
          }

          @Override
          public void visitLocalVariable(String localName, String localDescriptor, String signature, Label start,
              Label end, int index) {
            addDescriptor(names, localDescriptor);
          }
        };
      }
    }, 0);
    return names;
  }

  private static void addDescriptor(Set<String> names, String descriptor) {
    if (descriptor.startsWith("(")) {
      Type method = Type.getMethodType(descriptor);
      for (Type arg : method.getArgumentTypes()) addType(names, arg);
      addType(names, method.getReturnType());
    } else {
      addType(names, Type.getType(descriptor));
    }
  }

  private static void addType(Set<String> names, Type type) {
    Type t = type.getSort() == Type.ARRAY ? type.getElementType() : type;
    if (t.getSort() == Type.OBJECT) names.add(t.getInternalName());
    else if (t.getSort() == Type.METHOD) addDescriptor(names, t.getDescriptor());
  }

  /** Names + descriptors of the methods that call the given static method (the bridge slot's look-up). */
  private static List<String> methodsReading(byte[] classFile, String owner, String method) {
    List<String> methods = new ArrayList<>();
    new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
      @Override
      public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
          String[] exceptions) {
        String id = name + descriptor;
        return new MethodVisitor(Opcodes.ASM9) {
          @Override
          public void visitMethodInsn(int opcode, String o, String n, String d, boolean isInterface) {
            if (opcode == Opcodes.INVOKESTATIC && o.equals(owner) && n.equals(method) && !methods.contains(id)) {
              methods.add(id);
            }
          }
        };
      }
    }, 0);
    return methods;
  }
}
