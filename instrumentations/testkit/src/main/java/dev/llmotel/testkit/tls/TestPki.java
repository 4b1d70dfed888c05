package dev.llmotel.testkit.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A private certificate authority made at test time with the running JDK's {@code keytool} (a process, as a user would
 * run it), and certificates it signs: what OTLP export over TLS is tested with. Certificates and keys are written as PEM
 * files, the form {@code OTEL_EXPORTER_OTLP_CERTIFICATE}, {@code _CLIENT_CERTIFICATE} and {@code _CLIENT_KEY} (PKCS#8)
 * take. RSA 2048, valid for two days.
 */
public final class TestPki {
  private static final String PASS = "changeit";

  private final Path dir;
  /** The CA's certificate as PEM: what a client trusts. */
  public final Path caPem;
  public final X509Certificate caCert;

  private TestPki(Path dir) throws Exception {
    this.dir = dir;
    keytool("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-dname", "CN=llm-otel test CA", "-ext", "bc:c", "-keystore", "ca.p12");
    caPem = dir.resolve("ca.pem");
    keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-file", caPem.toString());
    caCert = readCert(caPem);
  }

  /** A new CA in {@code dir}. */
  public static TestPki create(Path dir) throws Exception {
    return new TestPki(dir);
  }

  /** A key and a certificate signed by the CA. */
  public final class Issued {
    public final String name;
    public final PrivateKey key;
    public final X509Certificate cert;
    /** The certificate as PEM */
    public final Path certPem;
    /** The private key as unencrypted PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}) */
    public final Path keyPem;

    Issued(String name, PrivateKey key, X509Certificate cert, Path certPem, Path keyPem) {
      this.name = name;
      this.key = key;
      this.cert = cert;
      this.certPem = certPem;
      this.keyPem = keyPem;
    }

    /** A server's TLS context presenting this certificate (with the CA's), trusting the CA's client certificates. */
    public SSLContext serverContext() throws GeneralSecurityException, IOException {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry(name, key, PASS.toCharArray(), new Certificate[] {cert, caCert});
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, PASS.toCharArray());
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      trusted.setCertificateEntry("ca", caCert);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return context;
    }
  }

  /**
   * A certificate for {@code name} signed by the CA, with {@code extensions} (keytool's {@code -ext} syntax, e.g.
   * {@code san=ip:127.0.0.1,dns:localhost} and {@code eku=serverAuth}).
   */
  public Issued issue(String name, String... extensions) throws Exception {
    String store = name + ".p12";
    keytool("-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-dname", "CN=" + name, "-keystore", store);
    Path csr = dir.resolve(name + ".csr");
    keytool("-certreq", "-alias", name, "-keystore", store, "-file", csr.toString());
    Path certPem = dir.resolve(name + ".pem");
    List<String> gencert = new ArrayList<>(List.of("-gencert", "-rfc", "-alias", "ca", "-keystore", "ca.p12",
        "-validity", "2", "-infile", csr.toString(), "-outfile", certPem.toString()));
    for (String ext : extensions) {
      gencert.add("-ext");
      gencert.add(ext);
    }
    keytool(gencert.toArray(new String[0]));
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(dir.resolve(store))) {
      ks.load(in, PASS.toCharArray());
    }
    PrivateKey key = (PrivateKey) ks.getKey(name, PASS.toCharArray());
    Path keyPem = dir.resolve(name + "-key.pem");
    String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded());
    Files.write(keyPem, ("-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n")
        .getBytes(StandardCharsets.US_ASCII));
    return new Issued(name, key, readCert(certPem), certPem, keyPem);
  }

  private static X509Certificate readCert(Path pem) throws Exception {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  /** Runs the JDK's own keytool in the CA's directory (store and key password {@value #PASS}). */
  private void keytool(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.add("-J-XX:TieredStopAtLevel=1"); // a short-lived tool: the quick compiler only
    for (String a : args) cmd.add(a);
    cmd.addAll(List.of("-storetype", "PKCS12", "-storepass", PASS, "-keypass", PASS, "-noprompt"));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = p.getInputStream()) {
      in.transferTo(out);
    }
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("keytool timed out: " + cmd);
    }
    if (p.exitValue() != 0) {
      throw new IOException("keytool failed (" + p.exitValue() + "): " + cmd + "\n" + out.toString("UTF-8"));
    }
  }
}
