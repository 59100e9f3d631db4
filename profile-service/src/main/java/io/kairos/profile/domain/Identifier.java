package io.kairos.profile.domain;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One identifier of a person, normalised: the same person sending " Ada@Example.com " and
 * "ada@example.com", or "(415) 555-0100" from the US and "+14155550100", must land on one profile.
 * The type is userId, anonymousId, email, phone, deviceId, or the type of an external id.
 */
public record Identifier(String type, String value) {

    public static final String USER_ID = "userId";
    public static final String ANONYMOUS_ID = "anonymousId";
    public static final String EMAIL = "email";
    public static final String PHONE = "phone";
    /** context.device.id of the mobile SDKs. */
    public static final String DEVICE_ID = "deviceId";

    private static final PhoneNumberUtil PHONE_NUMBERS = PhoneNumberUtil.getInstance();

    public Identifier {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
    }

    /** The normalised identifier, or empty when the type is blank or the value missing or blank. */
    public static Optional<Identifier> normalise(String type, String rawValue) {
        return normalise(type, rawValue, null);
    }

    /**
     * @param region where a phone number without a country code is read as dialled (ISO 3166
     *               code, e.g. from the event's locale); null when unknown
     */
    public static Optional<Identifier> normalise(String type, String rawValue, String region) {
        if (type == null || type.isBlank() || rawValue == null || rawValue.isBlank()) {
            return Optional.empty();
        }
        String normalisedType = type.strip();
        String value = rawValue.strip();
        value = switch (normalisedType) {
            case EMAIL -> value.toLowerCase(Locale.ROOT);
            case PHONE -> phone(value, region);
            default -> value;
        };
        return Optional.of(new Identifier(normalisedType, value));
    }

    /** E.164 when the number parses and is possible; otherwise the digits, with a leading + kept. */
    private static String phone(String raw, String region) {
        try {
            Phonenumber.PhoneNumber number = PHONE_NUMBERS.parse(raw, region == null ? "ZZ" : region);
            if (PHONE_NUMBERS.isPossibleNumber(number)) {
                return PHONE_NUMBERS.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
            }
        } catch (NumberParseException unparseable) {
            // kept as digits below: a value the library cannot place still identifies someone
        }
        String digits = raw.replaceAll("[^0-9]", "");
        return raw.startsWith("+") ? "+" + digits : digits;
    }
}
