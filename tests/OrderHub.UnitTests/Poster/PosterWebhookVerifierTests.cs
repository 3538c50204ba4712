using System.Text;
using System.Text.Json;
using OrderHub.Integrations.Poster;

namespace OrderHub.UnitTests.Poster;

public sealed class PosterWebhookVerifierTests
{
    private static readonly JsonElement Vectors =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "poster-webhook-vectors.json"))).RootElement;

    private static string Secret => Vectors.GetProperty("application_secret").GetString()!;

    public static TheoryData<int> Hooks() => new(Enumerable.Range(0, Vectors.GetProperty("hooks").GetArrayLength()));

    private static PosterWebhook Hook(int index) =>
        PosterWebhookParser.Parse(Encoding.UTF8.GetBytes(Vectors.GetProperty("hooks")[index].GetRawText())).ShouldNotBeNull();

    [Theory]
    [MemberData(nameof(Hooks))]
    public void The_vectors_verify(int index)
    {
        var hook = Hook(index);

        PosterWebhookVerifier.Compute(hook, Secret).ShouldBe(hook.Verify);
        PosterWebhookVerifier.Verify(hook, Secret).ShouldBeTrue();
    }

    [Theory]
    [MemberData(nameof(Hooks))]
    public void A_wrong_secret_or_a_changed_field_fails(int index)
    {
        var hook = Hook(index);

        PosterWebhookVerifier.Verify(hook, "0" + Secret[1..]).ShouldBeFalse();
        PosterWebhookVerifier.Verify(hook with { ObjectId = hook.ObjectId + "1" }, Secret).ShouldBeFalse();
        PosterWebhookVerifier.Verify(hook with { Time = "1" }, Secret).ShouldBeFalse();
        PosterWebhookVerifier.Verify(hook, "").ShouldBeFalse();
    }

    [Fact]
    public void The_parser_reads_numbers_and_keeps_data_as_the_raw_string()
    {
        var hook = Hook(0);

        hook.Account.ShouldBe("myresto");
        hook.ObjectId.ShouldBe("2");
        hook.Data.ShouldBe("""{"type":1}""");
        hook.IsIncomingOrderChange.ShouldBeTrue();
        Hook(1).Data.ShouldBeNull();
    }

    [Fact]
    public void A_body_without_required_fields_is_not_a_webhook() =>
        PosterWebhookParser.Parse("""{"account":"x"}"""u8).ShouldBeNull();
}
