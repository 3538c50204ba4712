using OrderHub.Api.Messages;

namespace OrderHub.UnitTests.Panel;

public sealed class MessageCatalogTests
{
    /// <summary>Every key reads in both languages, and both texts use exactly the same arguments (none missing, none unused; a counted word repeats {count} per form).</summary>
    [Fact]
    public void Every_message_key_has_both_texts_with_the_same_arguments()
    {
        var problems = MessageCatalog.Texts
            .Where(e => string.IsNullOrWhiteSpace(e.Value.Uk) || string.IsNullOrWhiteSpace(e.Value.En)
                        || !MessageCatalog.Placeholders(e.Value.Uk).Distinct().Order().SequenceEqual(MessageCatalog.Placeholders(e.Value.En).Distinct().Order()))
            .Select(e => e.Key)
            .ToList();

        problems.ShouldBeEmpty();
    }

    [Fact]
    public void A_stored_message_renders_in_the_readers_language_with_its_terms_and_falls_back_to_the_stored_English()
    {
        var delivered = Msg.Of("export.delivered", ("target", "Poster"), ("posId", Msg.Term("export.posId")), ("posOrderId", "42"), ("attempt", 1));

        MessageCatalog.Render(delivered, MessageCatalog.Ukrainian).ShouldBe("Передано в POS (Poster) як замовлення POS 42 зі спроби 1.");
        MessageCatalog.Render(delivered, MessageCatalog.English).ShouldBe("Delivered to the POS (Poster) as POS order 42 on attempt 1.");
        MessageCatalog.Render(delivered.Key, delivered.ArgsJson(), "stored", MessageCatalog.Ukrainian).ShouldStartWith("Передано");
        MessageCatalog.Render(null, null, "Old English row.", MessageCatalog.Ukrainian).ShouldBe("Old English row.");
        MessageCatalog.Render("no.such.key", "{}", "Old English row.", MessageCatalog.Ukrainian).ShouldBe("Old English row.");
    }

    /// <summary>A counted word takes Ukrainian's three forms (1 точка, 2–4 точки, 5+ точок; 11–14 are "many") and English's two.</summary>
    [Theory]
    [InlineData(1, "1 точка видачі", "1 pickup point")]
    [InlineData(2, "2 точки видачі", "2 pickup points")]
    [InlineData(4, "4 точки видачі", "4 pickup points")]
    [InlineData(5, "5 точок видачі", "5 pickup points")]
    [InlineData(11, "11 точок видачі", "11 pickup points")]
    [InlineData(12, "12 точок видачі", "12 pickup points")]
    [InlineData(14, "14 точок видачі", "14 pickup points")]
    [InlineData(21, "21 точка видачі", "21 pickup points")]
    [InlineData(22, "22 точки видачі", "22 pickup points")]
    [InlineData(25, "25 точок видачі", "25 pickup points")]
    [InlineData(111, "111 точок видачі", "111 pickup points")]
    [InlineData(0, "0 точок видачі", "0 pickup points")]
    public void A_counted_word_takes_the_plural_form_of_each_language(int count, string uk, string en)
    {
        var message = Msg.Of("plural.pickupPoints", ("count", count));

        MessageCatalog.Render(message, MessageCatalog.Ukrainian).ShouldBe(uk);
        MessageCatalog.Render(message, MessageCatalog.English).ShouldBe(en);
        // As a term inside a sentence, as the circuit's history row has it.
        var row = Msg.Of("term.circuit.companyDefault").With("names", message);
        MessageCatalog.Render(row, MessageCatalog.Ukrainian).ShouldBe($"типової інтеграції компанії ({uk})");
    }

    /// <summary>Every counted word has its forms: three in Ukrainian, two in English.</summary>
    [Fact]
    public void Every_counted_word_has_three_Ukrainian_and_two_English_forms()
    {
        var plurals = MessageCatalog.Texts.Where(e => e.Key.StartsWith(MessageCatalog.PluralPrefix, StringComparison.Ordinal)).ToList();

        plurals.ShouldNotBeEmpty();
        plurals.Where(e => e.Value.Uk.Split('|').Length != 3 || e.Value.En.Split('|').Length != 2).Select(e => e.Key).ShouldBeEmpty();
    }

    /// <summary>Every thing a refusal names ("Order not found", "Company already exists") has its three catalog forms.</summary>
    [Fact]
    public void Every_entity_a_refusal_names_has_its_terms_in_both_languages()
    {
        foreach (var what in OrderHub.Api.Infrastructure.ProblemException.Entities.Keys)
        {
            var notFound = OrderHub.Api.Infrastructure.ProblemException.NotFound(what, "42");
            notFound.TitleIn(MessageCatalog.English).ShouldBe($"{what} not found");
            notFound.TitleIn(MessageCatalog.Ukrainian).ShouldEndWith(" не знайдено");
            notFound.DetailIn(MessageCatalog.Ukrainian).ShouldStartWith("Немає ");
            notFound.DetailIn(MessageCatalog.Ukrainian).ShouldNotContain("@");
        }
    }

    /// <summary>Every argument a template names is given by the rows the code writes; a template never shows a raw placeholder.</summary>
    [Fact]
    public void Rendering_every_key_with_its_arguments_leaves_no_placeholder()
    {
        foreach (var (key, text) in MessageCatalog.Texts)
        {
            var args = MessageCatalog.Placeholders(text.En).Distinct().Select(name => (name, (object?)"x")).ToArray();
            foreach (var language in new[] { MessageCatalog.Ukrainian, MessageCatalog.English })
            {
                MessageCatalog.Render(Msg.Of(key, args), language).ShouldNotContain("{", customMessage: key);
            }
        }
    }
}

public sealed class PosterMessageKeyTests
{
    /// <summary>Poster's refusals carry keys whose English is exactly the sentence the client writes, and read in Ukrainian too.</summary>
    [Theory]
    [InlineData(10, "poster text")]
    [InlineData(11, "poster text")]
    [InlineData(12, null)]
    [InlineData(20, "poster text")]
    [InlineData(32, "poster text")]
    [InlineData(34, "poster text")]
    [InlineData(37, "poster text")]
    [InlineData(41, "poster text")]
    [InlineData(42, null)]
    [InlineData(60, "poster text")]
    [InlineData(88, "poster text")]
    [InlineData(99, "poster text")]
    [InlineData(700, "poster text")]
    [InlineData(4001, "poster text")]
    [InlineData(12345, "poster text")]
    public void A_Poster_refusal_renders_its_English_sentence_and_a_Ukrainian_one(int code, string? said)
    {
        foreach (var product in new[] { null, "'Margherita' (Poster id 113)" })
        {
            var translation = OrderHub.Integrations.Poster.PosterErrors.Translate(code, said, product);
            var message = Msg.From(translation.MessageRef)!;
            var hint = Msg.From(translation.FixHintRef)!;

            MessageCatalog.Render(message, MessageCatalog.English).ShouldBe(translation.Message);
            MessageCatalog.Render(hint, MessageCatalog.English).ShouldBe(translation.FixHint);
            MessageCatalog.Render(message, MessageCatalog.Ukrainian).ShouldContain("помилк");
            MessageCatalog.Render(message, MessageCatalog.Ukrainian).ShouldNotContain(" the ");
            MessageCatalog.Render(hint, MessageCatalog.Ukrainian).ShouldNotBe(translation.FixHint);
        }
    }
}

public sealed class MessageKeyCoverageTests
{
    /// <summary>
    /// Every key the code names literally (<c>Msg.Of("…")</c>, <c>MessageRef.Of("…")</c>, <c>Msg.Term("…")</c>, <c>"@…"</c>)
    /// is in the catalog: an unknown key would be stored and shown as the key itself.
    /// </summary>
    [Fact]
    public void Every_literal_message_key_in_the_source_is_in_the_catalog()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "OrderHub.sln")))
        {
            root = root.Parent;
        }

        root.ShouldNotBeNull();
        var pattern = new System.Text.RegularExpressions.Regex(
            @"(?:Msg|MessageRef)\.Of\(""(?<key>[A-Za-z.]+)""|Msg\.Term\(""(?<key>[A-Za-z.]+)""\)|""@(?<key>[a-z]+\.[A-Za-z.]+)""");
        var sources = new[] { "src/OrderHub.Api", "src/OrderHub.Integrations" }
            .SelectMany(dir => Directory.EnumerateFiles(Path.Combine(root.FullName, dir), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        var keys = sources.SelectMany(f => pattern.Matches(File.ReadAllText(f)).Select(m => m.Groups["key"].Value)).Distinct().ToList();

        keys.Count.ShouldBeGreaterThan(50);
        // A key built from a prefix ("poster." + key) is checked by the tests of its builder.
        keys.Where(k => !k.EndsWith('.') && !MessageCatalog.Texts.ContainsKey(k)).ShouldBeEmpty();
    }

    /// <summary>
    /// No refusal or validation message is an English literal any more: <c>.WithMessage("…")</c>,
    /// <c>ProblemException.Invalid(field, "…")</c> and <c>ProblemException.Conflict("…", "…")</c> would read in English
    /// to a Ukrainian reader; they take a catalog key (<c>WithMessageKey</c>, a <c>Msg</c>) instead.
    /// </summary>
    [Fact]
    public void No_refusal_or_validation_message_is_an_English_literal()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "OrderHub.sln")))
        {
            root = root.Parent;
        }

        root.ShouldNotBeNull();
        var literal = new System.Text.RegularExpressions.Regex(
            @"\.WithMessage\(\$?""|ProblemException\.Invalid\([^,]+,\s*\$?""|ProblemException\.Conflict\(\s*\$?""");
        var found = Directory.EnumerateFiles(Path.Combine(root.FullName, "src/OrderHub.Api"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => literal.Matches(File.ReadAllText(f)).Select(m => $"{Path.GetFileName(f)}: {m.Value}"))
            .ToList();

        found.ShouldBeEmpty();
    }

    /// <summary>Every provider refusal FiscalMessages knows renders from the catalog in both languages.</summary>
    [Theory]
    [InlineData("cash_register.invalid_license_key", "Checkbox")]
    [InlineData("cashier.invalid_credentials", "Checkbox")]
    [InlineData("base.credentials", "Checkbox")]
    [InlineData("validation", "Checkbox")]
    [InlineData("TransactionsRegistrarAbsent", "Cashalot")]
    [InlineData("OperatorAccessToTransactionsRegistrarNotGranted", "Cashalot")]
    [InlineData("InvalidTin", "Cashalot")]
    [InlineData("CryptographyError", "Cashalot")]
    [InlineData("LastDocumentMustBeZRep", "Cashalot")]
    [InlineData("CheckLocalNumberInvalid", "Cashalot")]
    [InlineData("DocumentValidationError", "Cashalot")]
    [InlineData("OfflineModeNotSupported", "Cashalot")]
    [InlineData("LicenseViolation", "Cashalot")]
    [InlineData("something.else", "Checkbox")]
    [InlineData(null, "Cashalot")]
    public void Every_fiscal_refusal_renders_in_both_languages(string? code, string provider)
    {
        foreach (var said in new[] { "provider text", null })
        {
            var call = new OrderHub.Integrations.Fiscal.FiscalCall<bool>(OrderHub.Integrations.Fiscal.FiscalCallOutcome.Rejected, Code: code, Message: said);
            var (message, hint, _) = OrderHub.Api.Fiscalization.FiscalMessages.Translate(call, provider, "Площа Ринок");
            foreach (var msg in new[] { message, hint })
            {
                MessageCatalog.Texts.ShouldContainKey(msg.Key);
                MessageCatalog.Render(msg, MessageCatalog.English).ShouldNotContain("{");
                MessageCatalog.Render(msg, MessageCatalog.Ukrainian).ShouldNotBe(MessageCatalog.Render(msg, MessageCatalog.English));
            }
        }
    }
}

public sealed class PosterBuildMessageKeyTests
{
    /// <summary>An id Poster cannot take is refused before sending, in the client's English and in Ukrainian.</summary>
    [Fact]
    public void A_request_Poster_cannot_take_reads_in_both_languages()
    {
        var orders = new[]
        {
            OrderHub.UnitTests.Poster.PosTestOrders.Order() with { Lines = [new OrderHub.Integrations.Pos.PosLine("p-x", "MARG-1", null, null, "Margherita", 1m, 100m, 100m, [])] },
            OrderHub.UnitTests.Poster.PosTestOrders.Order() with { Lines = [new OrderHub.Integrations.Pos.PosLine("p-x", "113", "v-1", "V-1", "Margherita", 1m, 100m, 100m, [])] },
        };
        foreach (var order in orders)
        {
            OrderHub.Integrations.Poster.PosterRequestBuilder.Build(OrderHub.UnitTests.Poster.PosTestOrders.Poster(), order, out var failure);
            failure.ShouldNotBeNull();
            var message = Msg.From(OrderHub.Integrations.Pos.MessageRef.Of("poster.notSent").With("problem", failure.MessageRef!))!;
            MessageCatalog.Render(message, MessageCatalog.English).ShouldBe(failure.Message + " Nothing was sent to Poster.");
            MessageCatalog.Render(Msg.From(failure.FixHintRef)!, MessageCatalog.English).ShouldBe(failure.FixHint);
            MessageCatalog.Render(message, MessageCatalog.Ukrainian).ShouldContain("«Margherita»");
            MessageCatalog.Render(message, MessageCatalog.Ukrainian).ShouldEndWith("У Poster нічого не надіслано.");
        }
    }
}

public sealed class TransportMessageKeyTests
{
    /// <summary>A POS that cannot be reached reads in both languages; the exception's own words stay as they came.</summary>
    [Fact]
    public void A_transport_failure_renders_its_English_sentence_and_a_Ukrainian_one()
    {
        var failures = new Exception[]
        {
            new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (127.0.0.1:9)"),
            new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely."),
            new Polly.Timeout.TimeoutRejectedException(),
            new Polly.CircuitBreaker.BrokenCircuitException(),
        };
        foreach (var exception in failures)
        {
            var failure = OrderHub.Integrations.Pos.PosHttp.Describe(exception)!;
            var message = Msg.From(failure.Ref("Webhook POS"))!;

            MessageCatalog.Render(message, MessageCatalog.English).ShouldBe("Webhook POS: " + failure.Message);
            MessageCatalog.Render(message, MessageCatalog.Ukrainian).ShouldStartWith("Webhook POS: ");
            MessageCatalog.Render(message, MessageCatalog.Ukrainian).ShouldNotContain(" the POS");
        }
    }
}
