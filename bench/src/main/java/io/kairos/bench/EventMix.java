package io.kairos.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Segment Spec messages as a multi-channel retailer sends them: page and screen views,
 * product views, cart adds, orders and identifies from web, the mobile app, email and
 * social campaigns and in-store tills, each padded to an exact encoded size.
 * <p>
 * The per-request parts are fixed-width placeholders that {@link BatchBodies} overwrites in
 * the encoded bytes: the messageId's sequence ({@link #SEQUENCE_MARK}), the profile as hex in
 * the anonymousId ({@link #PROFILE_HEX_MARK}) and as decimal in userId and email
 * ({@link #PROFILE_DECIMAL_MARK}). No other text of a message contains these characters, and
 * messageId is every message's first field.
 */
final class EventMix {

    static final char SEQUENCE_MARK = '#';
    static final char PROFILE_HEX_MARK = '^';
    static final char PROFILE_DECIMAL_MARK = '~';
    static final int HEX_DIGITS = 12;

    /** The same profile has the same anonymousId in every run. */
    static final String ANONYMOUS_ID_PREFIX = "6f1c2b9e-3a7d-4e58-9b0f-";

    enum Channel {
        WEB(45), MOBILE(30), EMAIL(10), SOCIAL(10), POS(5);

        final int weight;

        Channel(int weight) {
            this.weight = weight;
        }

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    enum Kind {
        PAGE_VIEW, PRODUCT_VIEWED, PRODUCT_ADDED, ORDER_COMPLETED, IDENTIFY
    }

    /** A message of the mix; {@code label} is its type, or the event name of a track. */
    record Generated(Channel channel, String label, JsonObject message) {
    }

    private record Product(String name, String category, double price) {
    }

    private static final List<Product> CATALOG = List.of(
            new Product("Trail Running Shoes", "Footwear", 89.5),
            new Product("Waterproof Hiking Boots", "Footwear", 149.0),
            new Product("Merino Wool Socks", "Accessories", 18.99),
            new Product("Insulated Down Jacket", "Outerwear", 229.0),
            new Product("Rain Shell Jacket", "Outerwear", 159.95),
            new Product("Fleece Pullover", "Outerwear", 64.0),
            new Product("Daypack 24L", "Backpacks", 79.0),
            new Product("Trekking Backpack 55L", "Backpacks", 189.0),
            new Product("Two-Person Tent", "Camping", 299.0),
            new Product("Sleeping Bag Minus 5", "Camping", 174.5),
            new Product("Camp Stove", "Camping", 54.99),
            new Product("Headlamp 400lm", "Accessories", 39.95),
            new Product("Climbing Harness", "Climbing", 69.0),
            new Product("Chalk Bag", "Climbing", 19.5),
            new Product("Bouldering Shoes", "Climbing", 119.0),
            new Product("Cycling Helmet", "Cycling", 89.0),
            new Product("Bike Lights Set", "Cycling", 34.99),
            new Product("Water Bottle 750ml", "Accessories", 14.0),
            new Product("Trekking Poles", "Accessories", 99.0),
            new Product("Running Vest", "Running", 84.5),
            new Product("GPS Sports Watch", "Running", 249.0),
            new Product("Sun Hat", "Accessories", 29.0),
            new Product("Softshell Pants", "Outerwear", 109.0),
            new Product("Compression Tights", "Running", 59.95));
    private static final List<String> BRANDS = List.of("Northpeak", "Alpenglow", "Ridgeline", "Tidewater");
    private static final List<String> COLORS = List.of("black", "forest green", "slate blue", "sand", "red");
    private static final List<String> SIZES = List.of("XS", "S", "M", "L", "XL");
    private static final List<List<String>> LOCALES = List.of(
            List.of("en-US", "America/New_York"), List.of("en-US", "America/Los_Angeles"),
            List.of("en-US", "America/Chicago"), List.of("en-GB", "Europe/London"),
            List.of("de-DE", "Europe/Berlin"), List.of("fr-FR", "Europe/Paris"),
            List.of("es-ES", "Europe/Madrid"), List.of("ja-JP", "Asia/Tokyo"),
            List.of("pt-BR", "America/Sao_Paulo"));
    private static final List<String> BROWSERS = List.of(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
            "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36");
    private static final List<String> REFERRERS = List.of(
            "https://www.google.com/", "https://duckduckgo.com/", "https://www.bing.com/", "");
    private static final List<String> SCREENS = List.of("Home", "Category", "Product Detail", "Search", "Cart", "Wishlist");
    private static final List<String> SOCIAL_SOURCES = List.of("instagram", "facebook", "tiktok", "pinterest");
    private static final List<String> CAMPAIGNS = List.of("spring-sale", "new-arrivals", "back-in-stock", "loyalty-week");
    private static final List<String> FIRST_NAMES = List.of("Ada", "Grace", "Alan", "Linus", "Margaret", "Ken", "Barbara", "Dennis");
    private static final List<String> LAST_NAMES = List.of("Lovelace", "Hopper", "Turing", "Torvalds", "Hamilton", "Thompson", "Liskov", "Ritchie");
    private static final List<List<String>> CITIES = List.of(
            List.of("Boston", "US"), List.of("Denver", "US"), List.of("Seattle", "US"), List.of("London", "GB"),
            List.of("Munich", "DE"), List.of("Lyon", "FR"), List.of("Osaka", "JP"), List.of("Curitiba", "BR"));
    private static final List<String> STORES = List.of("Boston Seaport", "Denver Union Station", "Munich Marienplatz", "Lyon Part-Dieu");
    private static final String FILLER = "lightweight breathable recycled materials designed for long days outdoors "
            + "with reinforced seams and a lifetime repair guarantee from our workshop ";

    private final String messageIdPrefix;
    private final int profileDigits;
    private final int eventBytes;
    private final Instant now;
    private final SplittableRandom random;

    /**
     * @param messageIdPrefix the first 23 characters of this run's messageIds (a UUID without its last group)
     * @param profiles        how many profiles the events are spread over
     * @param eventBytes      the encoded size of every message, where the content allows
     */
    EventMix(String messageIdPrefix, int profiles, int eventBytes, Instant now, SplittableRandom random) {
        this.messageIdPrefix = messageIdPrefix;
        this.profileDigits = decimalDigits(profiles - 1);
        this.eventBytes = eventBytes;
        this.now = now.truncatedTo(ChronoUnit.MILLIS);
        this.random = random;
    }

    static int decimalDigits(long value) {
        return Long.toString(Math.max(0, value)).length();
    }

    Generated next() {
        Channel channel = pickChannel();
        Kind kind = pickKind(channel);
        JsonObject message = new JsonObject()
                .put("messageId", messageIdPrefix + "-" + String.valueOf(SEQUENCE_MARK).repeat(HEX_DIGITS));
        String label = switch (kind) {
            case PAGE_VIEW -> channel == Channel.MOBILE ? screen(message) : page(message, channel);
            case PRODUCT_VIEWED -> track(message, "Product Viewed", productProperties(pick(CATALOG)));
            case PRODUCT_ADDED -> track(message, "Product Added",
                    productProperties(pick(CATALOG)).put("quantity", 1 + random.nextInt(2)).put("cart_id", hex(16)));
            case ORDER_COMPLETED -> order(message, channel);
            case IDENTIFY -> identify(message, channel);
        };
        message.put("anonymousId", ANONYMOUS_ID_PREFIX + String.valueOf(PROFILE_HEX_MARK).repeat(HEX_DIGITS));
        message.put("timestamp", now.minusMillis(random.nextInt(3000)).toString());
        message.put("context", context(channel, label));
        padTo(message, kind == Kind.IDENTIFY ? message.getJsonObject("traits") : message.getJsonObject("properties"),
                kind == Kind.IDENTIFY ? "bio" : "description");
        return new Generated(channel, label, message);
    }

    private Channel pickChannel() {
        int roll = random.nextInt(100);
        for (Channel channel : Channel.values()) {
            roll -= channel.weight;
            if (roll < 0) {
                return channel;
            }
        }
        return Channel.WEB;
    }

    /** Weights in the order of {@link Kind}: what people do on each channel. */
    private Kind pickKind(Channel channel) {
        int[] weights = switch (channel) {
            case WEB -> new int[] {40, 30, 15, 5, 10};
            case MOBILE -> new int[] {35, 30, 18, 7, 10};
            case EMAIL -> new int[] {55, 25, 0, 0, 20};
            case SOCIAL -> new int[] {50, 35, 10, 0, 5};
            case POS -> new int[] {0, 0, 0, 70, 30};
        };
        int roll = random.nextInt(100);
        for (Kind kind : Kind.values()) {
            roll -= weights[kind.ordinal()];
            if (roll < 0) {
                return kind;
            }
        }
        return Kind.PAGE_VIEW;
    }

    private String page(JsonObject message, Channel channel) {
        Product product = pick(CATALOG);
        String path = switch (random.nextInt(4)) {
            case 0 -> "/";
            case 1 -> "/c/" + slug(product.category());
            case 2 -> "/p/" + slug(product.name());
            default -> "/search?q=" + slug(product.category());
        };
        String name = path.equals("/") ? "Home" : path.startsWith("/c/") ? "Category"
                : path.startsWith("/p/") ? "Product Detail" : "Search";
        message.put("type", "page").put("name", name).put("properties", new JsonObject()
                .put("path", path)
                .put("url", "https://shop.example.com" + path + campaignQuery(channel))
                .put("title", name + " | Northpeak Outdoor")
                .put("referrer", referrer(channel)));
        return "page";
    }

    private String screen(JsonObject message) {
        String name = pick(SCREENS);
        message.put("type", "screen").put("name", name)
                .put("properties", new JsonObject().put("previous_screen", pick(SCREENS)).put("load_ms", 80 + random.nextInt(400)));
        return "screen";
    }

    private String track(JsonObject message, String event, JsonObject properties) {
        message.put("type", "track").put("event", event).put("properties", properties);
        return event;
    }

    private JsonObject productProperties(Product product) {
        return new JsonObject()
                .put("product_id", "p-" + (1000 + CATALOG.indexOf(product)))
                .put("sku", "SKU-" + (100000 + CATALOG.indexOf(product) * 37))
                .put("name", product.name())
                .put("category", product.category())
                .put("brand", pick(BRANDS))
                .put("variant", pick(COLORS) + " " + pick(SIZES))
                .put("price", product.price())
                .put("currency", "USD")
                .put("url", "https://shop.example.com/p/" + slug(product.name()))
                .put("image_url", "https://cdn.example.com/img/" + slug(product.name()) + ".jpg");
    }

    private String order(JsonObject message, Channel channel) {
        JsonArray products = new JsonArray();
        double subtotal = 0;
        for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
            Product product = pick(CATALOG);
            int quantity = 1 + random.nextInt(2);
            subtotal += product.price() * quantity;
            products.add(new JsonObject()
                    .put("product_id", "p-" + (1000 + CATALOG.indexOf(product)))
                    .put("name", product.name())
                    .put("price", product.price())
                    .put("quantity", quantity));
        }
        double tax = cents(subtotal * 0.08);
        double shipping = channel == Channel.POS || subtotal > 100 ? 0.0 : 6.95;
        JsonObject properties = new JsonObject()
                .put("order_id", "o-" + hex(10))
                .put("subtotal", cents(subtotal))
                .put("tax", tax)
                .put("shipping", shipping)
                .put("total", cents(subtotal + tax + shipping))
                .put("currency", "USD")
                .put("products", products);
        if (channel == Channel.POS) {
            properties.put("store", new JsonObject().put("id", "st-" + (10 + random.nextInt(STORES.size())))
                    .put("name", pick(STORES)));
            properties.put("payment_method", random.nextBoolean() ? "card" : "cash");
        } else if (random.nextInt(4) == 0) {
            properties.put("coupon", "SPRING15");
        }
        message.put("type", "track").put("event", "Order Completed").put("userId", userId())
                .put("properties", properties);
        return "Order Completed";
    }

    private String identify(JsonObject message, Channel channel) {
        List<String> city = pick(CITIES);
        message.put("type", "identify").put("userId", userId()).put("traits", new JsonObject()
                .put("email", "user" + profileDecimal() + "@example.com")
                .put("first_name", pick(FIRST_NAMES))
                .put("last_name", pick(LAST_NAMES))
                .put("plan", List.of("free", "plus", "pro").get(random.nextInt(3)))
                .put("loyalty_tier", List.of("bronze", "silver", "gold").get(random.nextInt(3)))
                .put("address", new JsonObject().put("city", city.get(0)).put("country", city.get(1)))
                .put("marketing_opt_in", random.nextBoolean())
                .put("signup_channel", channel.wireName())
                .put("created_at", now.minusSeconds(86_400L * (1 + random.nextInt(900))).toString()));
        return "identify";
    }

    private JsonObject context(Channel channel, String label) {
        List<String> locale = pick(LOCALES);
        JsonObject context = new JsonObject()
                .put("channel", channel.wireName())
                .put("ip", ip())
                .put("locale", locale.get(0))
                .put("timezone", locale.get(1));
        switch (channel) {
            case MOBILE -> {
                boolean ios = random.nextBoolean();
                context.put("app", new JsonObject().put("name", "Northpeak Outdoor").put("version", "4.12.0"))
                        .put("device", new JsonObject().put("id", hex(8) + "-" + hex(4) + "-" + hex(4))
                                .put("manufacturer", ios ? "Apple" : "Google").put("model", ios ? "iPhone15,2" : "Pixel 8")
                                .put("type", ios ? "ios" : "android"))
                        .put("os", new JsonObject().put("name", ios ? "iOS" : "Android").put("version", ios ? "17.4" : "14"))
                        .put("network", new JsonObject().put("wifi", random.nextBoolean()))
                        .put("library", new JsonObject().put("name", ios ? "analytics-ios" : "analytics-android")
                                .put("version", "4.1.8"));
            }
            case POS -> context
                    .put("device", new JsonObject().put("id", "till-" + (1 + random.nextInt(12))).put("type", "pos")
                            .put("manufacturer", "Verifone"))
                    .put("library", new JsonObject().put("name", "northpeak-pos").put("version", "1.8.2"));
            default -> {
                context.put("userAgent", pick(BROWSERS))
                        .put("library", new JsonObject().put("name", "analytics.js").put("version", "5.2.0"));
                if (channel == Channel.EMAIL || channel == Channel.SOCIAL) {
                    context.put("campaign", new JsonObject()
                            .put("name", pick(CAMPAIGNS))
                            .put("source", channel == Channel.EMAIL ? "newsletter" : pick(SOCIAL_SOURCES))
                            .put("medium", channel == Channel.EMAIL ? "email" : "social")
                            .put("content", label.toLowerCase(Locale.ROOT).replace(' ', '-')));
                }
            }
        }
        return context;
    }

    /** Fills {@code field} of {@code target} so that the encoded message has exactly {@link #eventBytes}. */
    private void padTo(JsonObject message, JsonObject target, String field) {
        target.put(field, "");
        int missing = eventBytes - message.toBuffer().length();
        if (missing < 0) {
            target.remove(field);
            return;
        }
        StringBuilder text = new StringBuilder(missing);
        int offset = random.nextInt(FILLER.length());
        while (text.length() < missing) {
            text.append(FILLER.charAt(offset++ % FILLER.length()));
        }
        target.put(field, text.toString());
    }

    private String userId() {
        return "user-" + profileDecimal();
    }

    private String profileDecimal() {
        return String.valueOf(PROFILE_DECIMAL_MARK).repeat(profileDigits);
    }

    private String referrer(Channel channel) {
        return switch (channel) {
            case EMAIL -> "";
            case SOCIAL -> "https://l." + pick(SOCIAL_SOURCES) + ".com/";
            default -> pick(REFERRERS);
        };
    }

    private String campaignQuery(Channel channel) {
        return switch (channel) {
            case EMAIL -> "?utm_source=newsletter&utm_medium=email&utm_campaign=" + pick(CAMPAIGNS);
            case SOCIAL -> "?utm_source=" + pick(SOCIAL_SOURCES) + "&utm_medium=social&utm_campaign=" + pick(CAMPAIGNS);
            default -> "";
        };
    }

    private String ip() {
        String network = List.of("203.0.113.", "198.51.100.", "192.0.2.").get(random.nextInt(3));
        return network + (1 + random.nextInt(254));
    }

    private String hex(int digits) {
        StringBuilder text = new StringBuilder(digits);
        for (int i = 0; i < digits; i++) {
            text.append(Character.forDigit(random.nextInt(16), 16));
        }
        return text.toString();
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static double cents(double amount) {
        return Math.round(amount * 100) / 100.0;
    }

    private static String slug(String text) {
        return text.toLowerCase(Locale.ROOT).replace(' ', '-');
    }
}
