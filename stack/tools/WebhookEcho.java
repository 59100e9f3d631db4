import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * A stand-in for an email/SMS provider in the README walkthrough: prints every webhook
 * Kairos sends and whether its signature matches the secret.
 * Run with: ./kairos receiver [port] [secret]   (single-file Java program, no build)
 */
public class WebhookEcho {
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 9000;
        String secret = args.length > 1 ? args[1] : "s3cret";
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String signature = exchange.getRequestHeaders().getFirst("X-Kairos-Signature");
            String expected;
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            System.out.printf("%n%s %s  Idempotency-Key: %s  signature %s%n%s%n",
                    exchange.getRequestMethod(), exchange.getRequestURI(),
                    exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                    expected.equals(signature) ? "valid" : "INVALID (" + signature + ")",
                    new String(body, StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        server.start();
        System.out.println("webhook receiver on http://127.0.0.1:" + port + "/  (secret '" + secret + "'), Ctrl-C to stop");
    }
}
