using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;

namespace OrderHub.Integrations.Dots;

/// <summary>The parsed event, or every problem found, each keyed by the JSON path of the field at fault.</summary>
public sealed record DotsParseResult(DotsEvent? Event, IReadOnlyDictionary<string, string[]> Errors)
{
    public bool IsValid => Event is not null && Errors.Count == 0;
}

/// <summary>
/// Reads contract v1 (see tests' fixtures and the README). Strict about what OrderHub relies on — types,
/// required fields, positive quantities, sizes — and lenient about the rest: unknown fields are accepted and
/// stay in the raw payload the caller keeps.
/// </summary>
public static class DotsEventParser
{
    public const string SupportedVersion = "1";
    public const int MaxItems = 200;
    public const int MaxModifiersPerItem = 50;
    public const int MaxPromotions = 50;
    public const int MaxPhones = 10;

    private const int IdLength = 128;
    private const int ShortText = 64;
    private const int NameLength = 256;
    private const int LongText = 1024;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 16 };

    public static DotsParseResult Parse(ReadOnlyMemory<byte> body)
    {
        var reader = new Reader();
        if (!Utf8.IsValid(body.Span))
        {
            reader.Error("body", "The body is not valid UTF-8.");
            return reader.Result(null);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException ex)
        {
            reader.Error("body", $"The body is not valid JSON: {ex.Message}");
            return reader.Result(null);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                reader.Error("body", "The body must be a JSON object.");
                return reader.Result(null);
            }

            // "Last one wins" would let a body say two things at once (a signed companyId that differs from the one read).
            string? duplicate;
            try
            {
                duplicate = FirstDuplicateProperty(root);
            }
            catch (InvalidOperationException)
            {
                reader.Error("body", "A property name contains broken unicode.");
                return reader.Result(null);
            }

            if (duplicate is not null)
            {
                reader.Error(duplicate.Length <= 256 ? duplicate : duplicate[..256], "Appears more than once.");
                return reader.Result(null);
            }

            var version = reader.String(root, "version", "version", ShortText, required: true);
            if (version is not null && version != SupportedVersion)
            {
                reader.Error("version", $"Contract version '{version}' is not supported; this OrderHub reads version {SupportedVersion}.");
            }

            var eventId = reader.String(root, "eventId", "eventId", IdLength, required: true);
            var eventType = reader.String(root, "event", "event", ShortText, required: true);
            var occurredAt = reader.Time(root, "occurredAt", "occurredAt", required: false);
            var order = reader.Object(root, "order", "order", required: eventType is DotsEventTypes.OrderAccepted or DotsEventTypes.OrderStatusChanged or DotsEventTypes.OrderCancelled);

            DotsOrder? accepted = null;
            DotsStatusChange? change = null;
            if (order is { } o)
            {
                switch (eventType)
                {
                    case DotsEventTypes.OrderAccepted:
                        accepted = ReadOrder(reader, o);
                        break;
                    case DotsEventTypes.OrderStatusChanged:
                    case DotsEventTypes.OrderCancelled:
                        change = ReadStatusChange(reader, o);
                        break;
                }
            }

            return reader.Result(reader.HasErrors
                ? null
                : new DotsEvent(version!, eventId!, eventType!, occurredAt, accepted, change));
        }
    }

    /// <summary>The JSON path of the first property that appears twice in its object, or null.</summary>
    private static string? FirstDuplicateProperty(JsonElement root) => FirstDuplicate(root)?.ToString();

    /// <summary>
    /// The path below <paramref name="element"/> to its first duplicate property, built only on the way back from
    /// one (a valid event, the usual case, allocates no paths): names and indexes from the outside in.
    /// </summary>
    private static DuplicatePath? FirstDuplicate(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                HashSet<string>? seen = null;
                foreach (var property in element.EnumerateObject())
                {
                    var name = property.Name;
                    if (!(seen ??= new HashSet<string>(StringComparer.Ordinal)).Add(name))
                    {
                        return new DuplicatePath(name);
                    }

                    if (property.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array && FirstDuplicate(property.Value) is { } inner)
                    {
                        return inner.Under(name);
                    }
                }

                return null;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (item.ValueKind is JsonValueKind.Object or JsonValueKind.Array && FirstDuplicate(item) is { } inner)
                    {
                        return inner.Under(i);
                    }

                    i++;
                }

                return null;
            default:
                return null;
        }
    }

    /// <summary>A path as the parser names fields: <c>a.b[2].c</c>.</summary>
    private sealed class DuplicatePath(string name)
    {
        private readonly List<object> _steps = [name];

        public DuplicatePath Under(string property)
        {
            _steps.Add(property);
            return this;
        }

        public DuplicatePath Under(int index)
        {
            _steps.Add(index);
            return this;
        }

        public override string ToString()
        {
            var path = new System.Text.StringBuilder();
            for (var i = _steps.Count - 1; i >= 0; i--)
            {
                _ = _steps[i] is int index
                    ? path.Append(CultureInfo.InvariantCulture, $"[{index}]")
                    : path.Append(path.Length == 0 ? "" : ".").Append((string)_steps[i]);
            }

            return path.ToString();
        }
    }

    private static DotsOrder? ReadOrder(Reader r, JsonElement o)
    {
        var id = r.String(o, "id", "order.id", IdLength, required: true);
        var number = r.String(o, "number", "order.number", ShortText, required: true);
        var cityId = r.String(o, "cityId", "order.cityId", IdLength, required: false);
        var companyId = r.String(o, "companyId", "order.companyId", IdLength, required: true);
        var addressId = r.String(o, "companyAddressId", "order.companyAddressId", IdLength, required: true);
        var status = r.String(o, "status", "order.status", ShortText, required: true);
        var acceptedBy = r.String(o, "acceptedBy", "order.acceptedBy", NameLength, required: false);
        var deliveryType = r.String(o, "deliveryType", "order.deliveryType", ShortText, required: true);
        if (deliveryType is not null and not ("delivery" or "pickup"))
        {
            r.Error("order.deliveryType", "Must be 'delivery' or 'pickup'.");
        }

        var paymentType = r.String(o, "paymentType", "order.paymentType", ShortText, required: true);
        var paid = r.Bool(o, "paid", "order.paid", required: true) ?? false;
        var deliveryTime = r.Time(o, "deliveryTime", "order.deliveryTime", required: false);

        DotsCustomer customer = new(null, null, null);
        if (r.Object(o, "customer", "order.customer", required: true) is { } c)
        {
            customer = new DotsCustomer(
                r.String(c, "name", "order.customer.name", NameLength, required: false),
                r.String(c, "phone", "order.customer.phone", ShortText, required: false),
                r.String(c, "email", "order.customer.email", NameLength, required: false));
        }

        DotsAddress? address = null;
        if (r.Object(o, "address", "order.address", required: false) is { } a)
        {
            var phones = new List<string>();
            if (r.Array(a, "phones", "order.address.phones", MaxPhones, required: false) is { } list)
            {
                var i = 0;
                foreach (var phone in list.EnumerateArray())
                {
                    var path = $"order.address.phones[{i++}]";
                    if (r.StringValue(phone, path, ShortText) is { } p)
                    {
                        phones.Add(p);
                    }
                }
            }

            address = new DotsAddress(
                r.String(a, "street", "order.address.street", NameLength, required: false),
                r.String(a, "house", "order.address.house", ShortText, required: false),
                r.String(a, "entrance", "order.address.entrance", ShortText, required: false),
                r.String(a, "floor", "order.address.floor", ShortText, required: false),
                r.String(a, "apartment", "order.address.apartment", ShortText, required: false),
                r.String(a, "comment", "order.address.comment", LongText, required: false),
                r.String(a, "receiptContact", "order.address.receiptContact", NameLength, required: false),
                phones);
        }

        var items = new List<DotsItem>();
        if (r.Array(o, "items", "order.items", MaxItems, required: true) is { } itemArray)
        {
            if (itemArray.GetArrayLength() == 0)
            {
                r.Error("order.items", "An order needs at least one item.");
            }

            var i = 0;
            foreach (var item in itemArray.EnumerateArray())
            {
                if (ReadItem(r, item, $"order.items[{i++}]") is { } parsed)
                {
                    items.Add(parsed);
                }
            }
        }

        var promotions = new List<DotsPromotion>();
        if (r.Array(o, "promotions", "order.promotions", MaxPromotions, required: false) is { } promoArray)
        {
            var i = 0;
            foreach (var promo in promoArray.EnumerateArray())
            {
                var path = $"order.promotions[{i++}]";
                if (!r.IsObject(promo, path))
                {
                    continue;
                }

                var promoId = r.String(promo, "id", path + ".id", IdLength, required: true);
                var promoName = r.String(promo, "name", path + ".name", NameLength, required: false) ?? "";
                var discount = r.Money(promo, "discount", path + ".discount", required: true, allowZero: true);
                if (promoId is not null && discount is { } d)
                {
                    promotions.Add(new DotsPromotion(promoId, promoName, d));
                }
            }
        }

        var deliveryPrice = r.Money(o, "deliveryPrice", "order.deliveryPrice", required: false, allowZero: true) ?? 0m;
        var total = r.Money(o, "total", "order.total", required: true, allowZero: true);
        var currency = r.String(o, "currency", "order.currency", 3, required: true);
        if (currency is not null && (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper)))
        {
            r.Error("order.currency", "Must be a three-letter ISO 4217 code such as UAH.");
        }

        var persons = r.Int(o, "persons", "order.persons", required: false);
        if (persons is < 0 or > 1000)
        {
            r.Error("order.persons", "Must be between 0 and 1000.");
        }

        var comment = r.String(o, "comment", "order.comment", LongText, required: false);
        if (r.HasErrors)
        {
            return null;
        }

        return new DotsOrder(
            id!, number!, cityId, companyId!, addressId!, status!, acceptedBy, deliveryType!, paymentType!, paid,
            deliveryTime, customer, address, items, promotions, deliveryPrice, total!.Value, currency!, persons, comment);
    }

    private static DotsItem? ReadItem(Reader r, JsonElement item, string path)
    {
        if (!r.IsObject(item, path))
        {
            return null;
        }

        var productId = r.String(item, "productId", path + ".productId", IdLength, required: true);
        var variantId = r.String(item, "variantId", path + ".variantId", IdLength, required: false);
        var name = r.String(item, "name", path + ".name", NameLength, required: true);
        var quantity = r.Quantity(item, "quantity", path + ".quantity");
        var price = r.Money(item, "price", path + ".price", required: true, allowZero: true);
        var modifiers = new List<DotsModifier>();
        if (r.Array(item, "modifiers", path + ".modifiers", MaxModifiersPerItem, required: false) is { } list)
        {
            var i = 0;
            foreach (var m in list.EnumerateArray())
            {
                var mPath = $"{path}.modifiers[{i++}]";
                if (!r.IsObject(m, mPath))
                {
                    continue;
                }

                var id = r.String(m, "id", mPath + ".id", IdLength, required: true);
                var groupId = r.String(m, "groupId", mPath + ".groupId", IdLength, required: false);
                var mName = r.String(m, "name", mPath + ".name", NameLength, required: true);
                var mQuantity = r.Quantity(m, "quantity", mPath + ".quantity");
                var mPrice = r.Money(m, "price", mPath + ".price", required: true, allowZero: true);
                if (id is not null && mName is not null && mQuantity is { } q && mPrice is { } p)
                {
                    modifiers.Add(new DotsModifier(id, groupId, mName, q, p));
                }
            }
        }

        return productId is null || name is null || quantity is null || price is null
            ? null
            : new DotsItem(productId, variantId, name, quantity.Value, price.Value, modifiers);
    }

    private static DotsStatusChange? ReadStatusChange(Reader r, JsonElement o)
    {
        var id = r.String(o, "id", "order.id", IdLength, required: true);
        var number = r.String(o, "number", "order.number", ShortText, required: false);
        var companyId = r.String(o, "companyId", "order.companyId", IdLength, required: false);
        var addressId = r.String(o, "companyAddressId", "order.companyAddressId", IdLength, required: false);
        var previous = r.String(o, "previousStatus", "order.previousStatus", ShortText, required: false);
        var status = r.String(o, "status", "order.status", ShortText, required: true);
        var reason = r.String(o, "reason", "order.reason", LongText, required: false);
        var changedBy = r.String(o, "changedBy", "order.changedBy", NameLength, required: false);

        // Optional (contract v1 extension): Dots reports that a cash or card order was paid.
        var paid = r.Bool(o, "paid", "order.paid", required: false);
        var paymentType = r.String(o, "paymentType", "order.paymentType", ShortText, required: false);
        return id is null || status is null
            ? null
            : new DotsStatusChange(id, number, companyId, addressId, previous, status, reason, changedBy) { Paid = paid, PaymentType = paymentType };
    }

    /// <summary>Reads fields and collects every error instead of stopping at the first.</summary>
    private sealed class Reader
    {
        private const decimal MaxMoney = 10_000_000m;
        private const decimal MaxQuantity = 10_000m;

        private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

        public bool HasErrors => _errors.Count > 0;

        public void Error(string path, string message)
        {
            if (!_errors.TryGetValue(path, out var list))
            {
                _errors[path] = list = [];
            }

            list.Add(message);
        }

        public DotsParseResult Result(DotsEvent? e) =>
            new(e, _errors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal));

        public bool IsObject(JsonElement e, string path)
        {
            if (e.ValueKind == JsonValueKind.Object)
            {
                return true;
            }

            Error(path, "Must be an object.");
            return false;
        }

        public JsonElement? Object(JsonElement parent, string name, string path, bool required) =>
            Get(parent, name, path, required) is { } e && (e.ValueKind == JsonValueKind.Object || Wrong(path, "an object"))
                ? e
                : null;

        public JsonElement? Array(JsonElement parent, string name, string path, int maxLength, bool required)
        {
            if (Get(parent, name, path, required) is not { } e)
            {
                return null;
            }

            if (e.ValueKind != JsonValueKind.Array)
            {
                Wrong(path, "an array");
                return null;
            }

            if (e.GetArrayLength() > maxLength)
            {
                Error(path, $"At most {maxLength} entries are allowed.");
                return null;
            }

            return e;
        }

        public string? String(JsonElement parent, string name, string path, int maxLength, bool required) =>
            Get(parent, name, path, required) is { } e ? StringValue(e, path, maxLength, required) : null;

        public string? StringValue(JsonElement e, string path, int maxLength, bool required = true)
        {
            if (e.ValueKind != JsonValueKind.String)
            {
                Wrong(path, "a string");
                return null;
            }

            string value;
            try
            {
                value = e.GetString()!;
            }
            catch (InvalidOperationException)
            {
                // An escaped lone surrogate ("\ud800") is valid JSON but no valid text.
                Error(path, "Contains broken unicode.");
                return null;
            }

            if (value.Length > maxLength)
            {
                Error(path, $"At most {maxLength} characters are allowed.");
                return null;
            }

            if (value.Any(ch => char.IsControl(ch) && ch is not ('\n' or '\r' or '\t')) || HasLoneSurrogate(value))
            {
                Error(path, "Contains control characters or broken unicode.");
                return null;
            }

            if (required && string.IsNullOrWhiteSpace(value))
            {
                Error(path, "Must not be empty.");
                return null;
            }

            return value;
        }

        public bool? Bool(JsonElement parent, string name, string path, bool required)
        {
            if (Get(parent, name, path, required) is not { } e)
            {
                return null;
            }

            if (e.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                return e.GetBoolean();
            }

            Wrong(path, "true or false");
            return null;
        }

        public int? Int(JsonElement parent, string name, string path, bool required)
        {
            if (Get(parent, name, path, required) is not { } e)
            {
                return null;
            }

            if (e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var value))
            {
                return value;
            }

            Wrong(path, "a whole number");
            return null;
        }

        public DateTimeOffset? Time(JsonElement parent, string name, string path, bool required)
        {
            if (Get(parent, name, path, required) is not { } e)
            {
                return null;
            }

            if (e.ValueKind == JsonValueKind.String
                && DateTimeOffset.TryParse(e.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var value))
            {
                return value.ToUniversalTime();
            }

            Wrong(path, "an ISO 8601 time with an offset");
            return null;
        }

        public decimal? Money(JsonElement parent, string name, string path, bool required, bool allowZero)
        {
            if (Number(parent, name, path, required) is not { } value)
            {
                return null;
            }

            if (value < 0 || (!allowZero && value == 0))
            {
                Error(path, allowZero ? "Must not be negative." : "Must be greater than zero.");
                return null;
            }

            if (value > MaxMoney || decimal.Round(value, 2) != value)
            {
                Error(path, $"Must be at most {MaxMoney} with at most two decimals.");
                return null;
            }

            return value;
        }

        public decimal? Quantity(JsonElement parent, string name, string path)
        {
            if (Number(parent, name, path, required: true) is not { } value)
            {
                return null;
            }

            if (value <= 0)
            {
                Error(path, "Must be greater than zero.");
                return null;
            }

            if (value > MaxQuantity || decimal.Round(value, 3) != value)
            {
                Error(path, $"Must be at most {MaxQuantity} with at most three decimals.");
                return null;
            }

            return value;
        }

        private decimal? Number(JsonElement parent, string name, string path, bool required)
        {
            if (Get(parent, name, path, required) is not { } e)
            {
                return null;
            }

            if (e.ValueKind == JsonValueKind.Number && e.TryGetDecimal(out var value))
            {
                return value;
            }

            Wrong(path, "a number");
            return null;
        }

        private JsonElement? Get(JsonElement parent, string name, string path, bool required)
        {
            if (parent.TryGetProperty(name, out var e) && e.ValueKind != JsonValueKind.Null)
            {
                return e;
            }

            if (required)
            {
                Error(path, "Is required.");
            }

            return null;
        }

        private bool Wrong(string path, string expected)
        {
            Error(path, $"Must be {expected}.");
            return false;
        }

        private static bool HasLoneSurrogate(string value)
        {
            for (var i = 0; i < value.Length; i++)
            {
                if (char.IsHighSurrogate(value[i]))
                {
                    if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                    {
                        return true;
                    }

                    i++;
                }
                else if (char.IsLowSurrogate(value[i]))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
